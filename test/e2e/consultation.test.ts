// The consultation in a real browser: a clinician sends a case with two photos, two reviewers take it,
// zoom into the photo and agree, and the clinician reads the answer. Also the error path of a non-photo.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn, unlabelledControls } from '../helpers/browser.js';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

interface Account {
  id: string;
  email: string;
  password: string;
}

describe.skipIf(!hasChromium)('web app: a consultation from photos to answer', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let clinician: Account;
  let reviewers: Account[];
  let caseId = '';
  let secondCaseId = '';
  const opened = new OpenedPages();

  async function account(role: 'clinician' | 'reviewer', name: string, extra: { queues?: string[]; siteId?: string } = {}): Promise<Account> {
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@clinic.test`;
    const password = `${name} has a long password`;
    const res = await t.http
      .post('/api/v1/users')
      .set('authorization', `Bearer ${await t.adminToken()}`)
      .send({ email, password, role, name, ...extra });
    expect(res.status).toBe(201);
    return { id: res.body.id, email, password };
  }

  async function open(viewport = PHONE): Promise<Page> {
    return opened.open(browser, baseUrl, viewport);
  }

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: 'Riverside Township Clinic', tier: 'primary' });
    clinician = await account('clinician', 'Nurse Chen', { siteId: site.body.id });
    reviewers = [await account('reviewer', 'Dr Huang', { queues: ['general', 'inflammatory'] }), await account('reviewer', 'Dr Okafor', { queues: ['general'] })];
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  async function fillCaseForm(page: Page, patientRef: string) {
    await page.getByLabel('Patient reference').fill(patientRef);
    await page.getByLabel('Age (years)').fill('54');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('Skin type (Fitzpatrick)').selectOption('4');
    await page.getByLabel('Where on the body').fill('Left forearm');
    await page.getByLabel('How long has it been there (days)').fill('90');
    await page.getByLabel('History').fill('Slowly growing, waxy, stuck-on plaque. Not itchy. No bleeding.');
    await page.getByLabel('Your question for the specialist').fill('Is this benign, and does it need removal?');
    await page.getByLabel('Urgency').selectOption('soon');
    await page.getByLabel('Specialist queue').selectOption('general');
    await page.getByRole('checkbox', { name: /agrees to their photos and details being sent to specialists/ }).check();
  }

  it('lets a clinician send a case with two photos, showing the upload progress, then the case', async () => {
    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.waitForURL(/#\/cases$/);
    await page.getByText('You have not sent any cases yet.').waitFor();
    await page.getByRole('link', { name: 'New case' }).first().click();
    await page.getByRole('heading', { name: 'New case', level: 1 }).waitFor();
    await fillCaseForm(page, 'RTC-2024-0117');

    await page.locator('input[type=file][name=photos]').setInputFiles([fixture('orient-1.jpg'), fixture('real/DSCN0010.jpg')]);
    await poll(() => page.locator('.preview').count()).toBe(2);
    // Previews are decoded from object URLs in the browser.
    await poll(() => page.locator('.preview-img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0))).toEqual([true, true]);
    await page.getByLabel('Kind of photo 2').selectOption('closeup');
    await screenshot(page, 'clinician-new-case-phone');
    expect(await unlabelledControls(page)).toEqual([]);

    // Slow the upload down so that the progress bar has something to show, and record what it shows.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    await page.evaluate(() => {
      const w = window as unknown as { progressSeen: number[] };
      w.progressSeen = [];
      const bar = document.querySelector('.upload-progress progress')!;
      new MutationObserver(() => w.progressSeen.push(Number((bar as HTMLProgressElement).value))).observe(bar, { attributes: true, attributeFilter: ['value'] });
    });
    await page.getByRole('button', { name: 'Send case' }).click();
    await page.locator('.upload-progress:not([hidden])').waitFor();
    await poll(() => page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen.some((v) => v > 0 && v < 100))).toBe(true);
    await screenshot(page, 'clinician-uploading-phone');
    await page.waitForURL(/#\/cases\/(?!new$)[A-Za-z0-9_-]+$/, { timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    caseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
    await page.getByText('Case sent.').waitFor();
    await page.getByRole('heading', { name: 'RTC-2024-0117 · Left forearm', level: 1 }).waitFor();
    expect(await page.locator('#case-page .badge[data-status]').first().textContent()).toBe('Waiting for a specialist');
    await page.getByRole('heading', { name: 'Photos (2)' }).waitFor();
    // Both thumbnails arrive as blobs fetched with the bearer token.
    await poll(() => page.locator('.thumb-img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src.startsWith('blob:') && (i as HTMLImageElement).naturalWidth > 0))).toEqual([true, true]);
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    await screenshot(page, 'clinician-case-phone');

    const stored = await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${await t.login(clinician.email, clinician.password)}`);
    expect(stored.body).toMatchObject({ patientRef: 'RTC-2024-0117', ageYears: 54, sex: 'female', fitzpatrick: 4, urgency: 'soon', queue: 'general', durationDays: 90 });
    expect(stored.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['overview', 'closeup']);

    await page.getByRole('link', { name: 'My cases' }).click();
    await page.locator(`.case-row[data-case-id="${caseId}"]`).getByText('Waiting for a specialist').waitFor();
    await screenshot(page, 'clinician-cases-phone');
  });

  it('keeps the full-resolution photo in the viewer when the thumbnail arrives after it', async () => {
    expect(caseId, 'the case an earlier step opened').toBeDefined();
    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    // Hold every thumbnail back until the full photo is in the viewer, so that they land after it.
    let releaseThumbnails = () => {};
    const fullPhotoShown = new Promise<void>((resolve) => (releaseThumbnails = resolve));
    await page.route(/\/api\/v1\/photos\/[^/?]+\?variant=thumb$/, async (route) => {
      await fullPhotoShown;
      await route.continue();
    });
    await page.goto(`/#/cases/${caseId}`);
    const viewer = page.locator('#main-viewer');
    await viewer.locator('.viewer-viewport[data-loaded=true]').waitFor();
    releaseThumbnails();
    await poll(() => page.locator('.thumb-img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
    expect(await viewer.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(480);
  });

  it('puts each problem of the new-case form beside its field and in a summary at the top that takes the focus and links to the fields', async () => {
    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.goto('/#/cases/new');
    await page.getByLabel('Patient reference').fill('has spaces in it');
    await page.getByLabel('Where on the body').fill('Left forearm');
    await page.getByRole('button', { name: 'Send case' }).click();

    const summary = page.locator('#case-errors');
    await summary.waitFor();
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-errors');
    // At the top of the form, above the first field.
    const [summaryTop, firstFieldTop] = await page.evaluate(() => [
      document.querySelector('#case-errors')!.getBoundingClientRect().top,
      document.querySelector('#new-case-form .field')!.getBoundingClientRect().top,
    ]);
    expect(summaryTop).toBeLessThan(firstFieldTop);
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await summary.locator('li').allTextContents()).toEqual([
      'The patient reference may hold letters, digits and . _ / # - only, without spaces.',
      'Enter the age in whole years (0 to 130).',
      'Choose the sex (or Unknown).',
      'Write your question for the specialist.',
      'Add at least one photo.',
      'Ask the patient (or parent) whether they agree to their photos and details being sent: the case cannot be sent without it.',
    ]);
    // Each field says its own problem, tied to the control; the fields without one are left alone.
    const described = async (label: string) =>
      page.getByLabel(label).evaluate((el) => ({
        invalid: el.getAttribute('aria-invalid'),
        description: (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' | '),
      }));
    expect(await described('Age (years)')).toEqual({ invalid: 'true', description: 'Error: Enter the age in whole years (0 to 130).' });
    expect(await described('Patient reference')).toEqual({
      invalid: 'true',
      description: "Your clinic's own reference number, without spaces. Never the patient's name. | Error: The patient reference may hold letters, digits and . _ / # - only, without spaces.",
    });
    expect(await described('Where on the body')).toEqual({ invalid: null, description: 'For example: left forearm' });
    expect(await page.locator('.picker .field-error').textContent()).toBe('Error: Add at least one photo.');
    await screenshot(page, 'clinician-new-case-errors-phone');

    // A link in the summary takes the focus to its field, without leaving the page.
    await summary.getByRole('link', { name: 'Write your question for the specialist.' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('question');
    expect(page.url()).toMatch(/#\/cases\/new$/);

    // Put right and sent again: the problems that are solved go away, the remaining one stays.
    await page.getByLabel('Patient reference').fill('RTC-2024-0119');
    await page.getByLabel('Age (years)').fill('7');
    await page.getByLabel('Sex').selectOption('male');
    await page.getByLabel('Your question for the specialist').fill('Eczema or scabies?');
    await page.getByRole('checkbox', { name: /agrees to their photos and details being sent to specialists/ }).check();
    await page.getByRole('button', { name: 'Send case' }).click();
    await poll(() => summary.locator('li').allTextContents()).toEqual(['Add at least one photo.']);
    expect(await page.locator('[aria-invalid=true]').count()).toBe(0);
    expect(await page.locator('.field-error:not([hidden])').count()).toBe(1);
  });

  it('shows "This file is not a photo" for a non-photo and keeps everything typed', async () => {
    const page = await open(DESKTOP);
    await signIn(page, clinician.email, clinician.password);
    await page.goto('/#/cases/new');
    await fillCaseForm(page, 'RTC-2024-0118');
    await page.locator('input[type=file][name=photos]').setInputFiles([fixture('html-named-jpg.jpg')]);
    await page.getByRole('button', { name: 'Send case' }).click();
    const alert = page.locator('#case-errors[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This file is not a photo');
    expect(await alert.getAttribute('data-code')).toBe('UNSUPPORTED_MEDIA_TYPE');
    // Beside the photos too, and the summary's link leads there.
    expect(await page.locator('.picker .field-error').textContent()).toContain('This file is not a photo');
    await screenshot(page, 'clinician-not-a-photo-desktop');

    // Still on the form, with every answer where it was.
    expect(page.url()).toMatch(/#\/cases\/new$/);
    expect(await page.getByLabel('Patient reference').inputValue()).toBe('RTC-2024-0118');
    expect(await page.getByLabel('Age (years)').inputValue()).toBe('54');
    expect(await page.getByLabel('Sex').inputValue()).toBe('female');
    expect(await page.getByLabel('Where on the body').inputValue()).toBe('Left forearm');
    expect(await page.getByLabel('History').inputValue()).toContain('stuck-on plaque');
    expect(await page.getByLabel('Your question for the specialist').inputValue()).toBe('Is this benign, and does it need removal?');
    expect(await page.getByLabel('Urgency').inputValue()).toBe('soon');
    expect(await page.locator('.preview').count()).toBe(1);

    // Swapping the bad file for a photo sends the same case.
    await page.getByRole('button', { name: 'Remove photo 1' }).click();
    await page.locator('input[type=file][name=photos]').setInputFiles([fixture('orient-1.jpg')]);
    await page.getByRole('button', { name: 'Send case' }).click();
    await page.waitForURL(/#\/cases\/(?!new$)[A-Za-z0-9_-]+$/);
    await page.getByRole('heading', { name: 'RTC-2024-0118 · Left forearm', level: 1 }).waitFor();
    secondCaseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
  });

  it('adds a follow-up photo from the case page and shows it beside the first photos', async () => {
    expect(caseId, 'the case an earlier step opened').toBeDefined();
    const page = await open(DESKTOP);
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${caseId}`);
    // The one reply form takes photos without text too.
    const form = page.locator('#reply-form');
    await form.locator('input[type=file][name=photos]').setInputFiles([fixture('real/DSCN0012.jpg')]);
    await form.getByLabel('Kind of photo 1').selectOption('followup');
    // Exactly: a small photo's quality prompt beside it has its own 'Send anyway'.
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Photos added.').waitFor();
    await page.getByRole('heading', { name: 'Photos (3)' }).waitFor();
    const compare = page.locator('#compare');
    await compare.waitFor();
    // The comparison's photos load once it is on screen.
    await compare.scrollIntoViewIfNeeded();
    await poll(() => compare.locator('.viewer-viewport[data-loaded=true]').count()).toBe(2);
    expect(await compare.locator('.compare-before figcaption').textContent()).toContain('Overview');
    expect(await compare.locator('.compare-after figcaption').textContent()).toContain('Follow-up');
    await screenshot(page, 'clinician-follow-up-compare-desktop');
  });

  async function reviewAndAgree(reviewer: Account, diagnosis: { text: string; code: string }, shotPrefix: string, viewport: typeof PHONE) {
    const page = await open(viewport);
    await signIn(page, reviewer.email, reviewer.password);
    await page.waitForURL(/#\/queues$/);
    const general = page.locator('.queue-card[data-queue=general]');
    await general.waitFor();
    expect(Number(await general.locator('.queue-open').textContent())).toBeGreaterThanOrEqual(1);
    await screenshot(page, `${shotPrefix}-queues`);
    await general.getByRole('button', { name: 'Take next case' }).click();
    // Both cases are in `general`; urgency "soon" on both, so the older one (the two-photo case) comes first.
    await page.waitForURL(new RegExp(`#/cases/${caseId}$`));
    await page.getByText('You have taken this case.').first().waitFor();

    // The viewer shows the full-resolution photo and zooms and pans.
    const viewer = page.locator('#main-viewer');
    await viewer.locator('.viewer-viewport[data-loaded=true]').waitFor();
    const natural = await viewer.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(natural).toBe(480); // orient-1.jpg is 480x640: the full photo, not the thumbnail
    const scale = async () => Number(await viewer.getAttribute('data-scale'));
    const fitted = await scale();
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    expect(await scale()).toBeGreaterThan(fitted * 1.5);
    const before = await viewer.locator('img').evaluate((img) => (img as HTMLImageElement).style.transform);
    await viewer.locator('.viewer-viewport').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    expect(await viewer.locator('img').evaluate((img) => (img as HTMLImageElement).style.transform)).not.toBe(before);
    const box = (await viewer.locator('.viewer-viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const beforeWheel = await scale();
    await page.mouse.wheel(0, -300);
    await poll(scale).toBeGreaterThan(beforeWheel);
    await screenshot(page, `${shotPrefix}-viewer-zoomed`);
    await viewer.getByRole('button', { name: 'Fit to screen' }).click();
    expect(await scale()).toBeCloseTo(fitted, 3);

    // The second photo from the strip.
    await page.locator('#case-page .thumb').nth(1).click();
    await poll(() => viewer.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(640);

    // Blinded: nothing from other reviewers before giving one's own opinion.
    expect(await page.locator('#opinions .opinion').count()).toBe(0);
    const form = page.locator('#opinion-form');
    await form.getByLabel('Diagnosis', { exact: true }).fill(diagnosis.text);
    await form.getByLabel('Code (optional)').first().fill(diagnosis.code);
    await form.getByLabel('Other possible diagnosis 1').fill('Pigmented actinic keratosis');
    await form.getByLabel('Confidence').selectOption('high');
    await form.getByLabel('What should happen').selectOption('reassure');
    await form.getByLabel('Management advice').fill('Benign. Reassure; cryotherapy only if irritated. Review if it changes.');
    await screenshot(page, `${shotPrefix}-opinion-form`);
    expect(await unlabelledControls(page)).toEqual([]);
    await form.getByRole('button', { name: 'Give opinion', exact: true }).click();
    await page.getByText('Your opinion is saved.').waitFor();
    return page;
  }

  it('lets two reviewers take the case, zoom into the photo and give agreeing opinions; the clinician sees the answer', async () => {
    expect(caseId, 'the case an earlier step opened').toBeDefined();

    const first = await reviewAndAgree(reviewers[0]!, { text: 'Seborrhoeic keratosis', code: 'L82' }, 'reviewer-phone', PHONE);
    // One opinion of the two needed: the first reviewer sees their own opinion, the case is not answered yet.
    expect(await first.locator('#opinions .opinion').count()).toBe(1);
    expect(await first.locator('#consensus').count()).toBe(0);

    const second = await reviewAndAgree(reviewers[1]!, { text: 'Seborrheic keratosis', code: 'L82' }, 'reviewer-desktop', DESKTOP);
    await second.locator('#consensus').waitFor();
    expect(await second.locator('#case-page').getAttribute('data-status')).toBe('answered');
    expect(await second.locator('#opinions .opinion').count()).toBe(2);

    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.locator(`.case-row[data-case-id="${caseId}"]`).getByText('Answered').waitFor();
    await page.locator(`.case-row[data-case-id="${caseId}"] a`).click();
    const consensus = page.locator('#consensus');
    await consensus.waitFor();
    expect(await consensus.textContent()).toMatch(/Seborrh?oeic keratosis \(ICD-10 L82\)/);
    expect(await page.locator('#opinions .opinion').count()).toBe(2);
    expect(await page.locator('#opinions').textContent()).toContain('Reassure');
    // The answer box at the top: the panel's diagnosis, how many agreed, the advice, no dissent.
    const answer = page.locator('#answer-summary');
    expect(await answer.textContent()).toMatch(/Seborrh?oeic keratosis.*All 2 specialists agreed.*Advice: Reassure/);
    expect(await answer.locator('.answer-dissent').count()).toBe(0);
    await screenshot(page, 'clinician-answer-phone');
    expect(await unlabelledControls(page)).toEqual([]);
    const desktop = await open(DESKTOP);
    await signIn(desktop, clinician.email, clinician.password);
    await desktop.goto(`/#/cases/${caseId}`);
    await desktop.locator('#consensus').waitFor();
    await desktop.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    await screenshot(desktop, 'clinician-answer-desktop');
  });

  it('makes a follow-up link for the patient, with a copy button', async () => {
    expect(caseId, 'the case an earlier step opened').toBeDefined();
    const page = await open(PHONE);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${caseId}`);
    await page.getByRole('button', { name: 'Make a follow-up link' }).click();
    const link = page.getByLabel('Follow-up link (shown only now)');
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/f\/[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await screenshot(page, 'clinician-follow-up-link-phone');
    // The link works: its page is served to anyone holding it.
    expect((await t.http.get(new URL(url).pathname)).status).toBe(200);
  });

  it('shows an admin the turnaround statistics', async () => {
    const page = await open(DESKTOP);
    await signIn(page, 'admin@clinic.test', 'admin-password-long');
    await page.getByRole('link', { name: 'Statistics' }).click();
    const row = page.locator('#stats-table tr[data-queue=general]');
    await row.waitFor();
    expect(Number(await row.locator('td').first().textContent())).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'admin-stats-desktop');
  });

  it('lets the clinician close the answered case', async () => {
    expect(caseId, 'the case an earlier step opened').toBeDefined();
    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${caseId}`);
    await page.getByRole('button', { name: 'Close case' }).click();
    await page.getByRole('button', { name: 'Yes, close it' }).click();
    await page.getByText('Case closed.').waitFor();
    expect(await page.locator('#case-page').getAttribute('data-status')).toBe('closed');
    // A closed case still shows its answer.
    await page.locator('#consensus').waitFor();
  });

  it('lets a reviewer ask for more information, the clinician answer, and another reviewer release the case', async () => {
    expect(secondCaseId, 'the case an earlier step opened').toBeDefined();
    const reviewer = await open(PHONE);
    await signIn(reviewer, reviewers[0]!.email, reviewers[0]!.password);
    await reviewer.locator('.queue-card[data-queue=general]').getByRole('button', { name: 'Take next case' }).click();
    await reviewer.waitForURL(new RegExp(`#/cases/${secondCaseId}$`));
    const discussion = reviewer.locator('#discussion');
    await discussion.getByLabel('Message').fill('Is it itchy at night? Please add a close-up in good daylight.');
    await discussion.getByLabel(/Ask the referring clinician for more information/).check();
    await discussion.getByRole('button', { name: 'Send' }).click();
    await reviewer.getByText('Question sent: the case waits for the referrer.').waitFor();
    expect(await reviewer.locator('#case-page').getAttribute('data-status')).toBe('needs_info');

    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.locator(`.case-row[data-case-id="${secondCaseId}"]`).getByText('More information needed').waitFor();
    await page.locator(`.case-row[data-case-id="${secondCaseId}"] a`).click();
    await page.getByText('A specialist asked for more information').waitFor();
    expect(await page.locator('#discussion .message-request').textContent()).toContain('Is it itchy at night?');
    await page.locator('#discussion').getByLabel('Your reply or comment').fill('Not itchy. Close-up follows.');
    await page.locator('#discussion').getByRole('button', { name: 'Send' }).click();
    await page.getByText('Message sent.').waitFor();
    expect(await page.locator('#case-page').getAttribute('data-status')).toBe('queued');
    await screenshot(page, 'clinician-discussion-phone');

    const other = await open(DESKTOP);
    await signIn(other, reviewers[1]!.email, reviewers[1]!.password);
    await other.locator('.queue-card[data-queue=general]').getByRole('button', { name: 'Take next case' }).click();
    await other.waitForURL(new RegExp(`#/cases/${secondCaseId}$`));
    expect(await other.locator('#discussion').textContent()).toContain('Not itchy. Close-up follows.');
    await other.getByRole('button', { name: 'Release back to the queue' }).click();
    await other.waitForURL(/#\/queues$/);
    await other.getByText('The case is back in the queue.').waitFor();
    // Nothing else waits for this reviewer now? The released case does: taking again gives it back.
    await other.locator('.queue-card[data-queue=general]').getByRole('button', { name: 'Take next case' }).click();
    await other.waitForURL(new RegExp(`#/cases/${secondCaseId}$`));
  });

  it('tells a reviewer when nothing is waiting', async () => {
    const page = await open(PHONE);
    await signIn(page, reviewers[0]!.email, reviewers[0]!.password);
    await page.locator('.queue-card[data-queue=inflammatory]').getByRole('button', { name: 'Take next case' }).click();
    await page.getByText('Nothing is waiting in this queue.').waitFor();
  });

  it('lists cases for reviewers and admins, and lets an admin move a case to another queue', async () => {
    expect(secondCaseId, 'the case an earlier step opened').toBeDefined();
    const reviewer = await open(PHONE);
    await signIn(reviewer, reviewers[0]!.email, reviewers[0]!.password);
    await reviewer.getByRole('link', { name: 'Cases', exact: true }).click();
    await reviewer.locator(`.case-row[data-case-id="${caseId}"]`).getByText('Closed').waitFor();
    await reviewer.locator(`.case-row[data-case-id="${secondCaseId}"]`).waitFor();

    const admin = await open(DESKTOP);
    await signIn(admin, 'admin@clinic.test', 'admin-password-long');
    await admin.getByRole('link', { name: 'Cases', exact: true }).click();
    await admin.getByLabel('Show').selectOption('in_review');
    await admin.locator(`.case-row[data-case-id="${secondCaseId}"] a`).click();
    await admin.getByLabel('Move to another queue').selectOption('inflammatory');
    await admin.getByRole('button', { name: 'Move' }).click();
    await admin.getByText('Moved to Inflammatory', { exact: false }).waitFor();
    expect(await admin.locator('#case-page .badge-queue').textContent()).toBe('inflammatory');
    // Admins read the discussion but do not take part in it.
    expect(await admin.locator('#message-form').count()).toBe(0);
    await screenshot(admin, 'admin-case-desktop');
  });
});
