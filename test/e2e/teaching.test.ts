// The teaching collection in a real Chromium: a reviewer adds an answered, consented case to it from the case
// page; a trainee signs in to the teaching list, opens the case blinded (photos in the viewer, clinical details,
// no patient reference, referrer or discussion), gives an opinion with the reviewers' form, then reads the
// panel's opinions, the consensus, the outcome and their own agreement, and their agreement on their own page.
// Screenshots go to test-results/screenshots, and to docs/screenshots/issue-19 with UPDATE_DOCS_SCREENSHOTS=1
// (the trainee's case page on a laptop, 1280 px wide).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, poll, screenshot, signIn, unlabelledControls } from '../helpers/browser.js';
import { auth, PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

const DOCS_DIR = path.resolve(process.cwd(), 'docs/screenshots/issue-19');

type Account = { id: string; token: string; email: string; password: string };

describe.skipIf(!hasChromium)('the teaching collection and a trainee session, in the browser', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let referrer: Account;
  let reviewers: Account[];
  let trainee: Account;
  let caseId: string;
  const opened = new OpenedPages();
  const PATIENT_REF = 'RHC-2026-0412';

  async function open(): Promise<Page> {
    return opened.open(browser, baseUrl, DESKTOP);
  }

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const kit = reviewKit(t);
    const slug = await kit.queue(2);
    referrer = await t.createUser('clinician', { name: 'Nurse Chen' });
    reviewers = [await t.createUser('reviewer', { queues: [slug], name: 'Dr Huang' }), await t.createUser('reviewer', { queues: [slug], name: 'Dr Osei' })];
    trainee = await t.createUser('trainee', { name: 'Dr Lin (trainee)' });
    const created = await kit.openCase(referrer.token, {
      queue: slug,
      patientRef: PATIENT_REF,
      bodySite: 'Left elbow',
      history: 'Silvery plaques on both elbows for a year, worse in winter.',
      consent: { teleconsultation: true, teaching: true },
    });
    caseId = created.id;
    for (const r of reviewers) await kit.claim(r.token, slug);
    await kit.message(reviewers[0]!.token, caseId, 'Any nail pitting?');
    await kit.opinion(reviewers[0]!.token, caseId, PSORIASIS, { management: 'Potent topical steroid for four weeks, then review.' });
    await kit.opinion(reviewers[1]!.token, caseId, PSORIASIS_REWORDED, { management: 'Calcipotriol and betamethasone gel once daily.' });
    const outcome = await t.http.post(`/api/v1/cases/${caseId}/outcome`).set(auth(referrer.token)).send({ kind: 'histology', diagnosis: PSORIASIS, notes: 'Punch biopsy: psoriasiform hyperplasia.' });
    expect(outcome.status).toBe(201);
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  it('lets a reviewer add the answered case to the teaching collection from its page', async () => {
    const page = await open();
    await signIn(page, reviewers[0]!.email, reviewers[0]!.password);
    await page.goto(`/#/cases/${caseId}`);
    const section = page.locator('#teaching');
    await section.getByRole('heading', { name: 'Teaching collection' }).waitFor();
    await section.getByRole('button', { name: 'Add to teaching collection' }).click();
    await page.getByText('Added to the teaching collection: trainees can now learn from this case.').waitFor();
    await expect.poll(() => section.locator('#teaching-state').textContent()).toMatch(/In the teaching collection since .+, added by Dr Huang\./);
    await expect.poll(async () => (await t.sql.one<{ at: number | null }>('select teaching_added_at as at from cases where id = ?', caseId))?.at).not.toBeNull();
    expect(await section.getByRole('button', { name: 'Remove from teaching collection' }).isVisible()).toBe(true);
  });

  it('takes a trainee from the teaching list to a blinded case, their opinion, the panel and their agreement', async () => {
    const page = await open();
    await signIn(page, trainee.email, trainee.password);
    // Their home is the teaching list; their navigation has nothing else but their own learning page.
    await poll(() => page.evaluate(() => location.hash)).toBe('#/teaching');
    expect(await page.locator('#nav .nav-links a').allTextContents()).toEqual(['Teaching cases', 'My learning']);
    const row = page.locator('#teaching-list li', { hasText: 'Left elbow' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Your opinion is awaited');

    await row.getByRole('link').click();
    await page.locator('#teaching-case').waitFor();
    await page.locator('#main-viewer img').first().waitFor();
    const blinded = (await page.locator('#main').textContent()) ?? '';
    expect(blinded).toContain('Silvery plaques on both elbows');
    expect(blinded).toContain("The panel's opinions, its consensus and the outcome show once you have sent your own opinion.");
    for (const hidden of [PATIENT_REF, 'Nurse Chen', 'Dr Huang', 'Dr Osei', 'Any nail pitting?', 'Plaque psoriasis', 'Punch biopsy']) expect(blinded).not.toContain(hidden);
    expect(await unlabelledControls(page)).toEqual([]);

    // Sending without a diagnosis says what is missing, beside the field.
    await page.getByRole('button', { name: 'Send my opinion' }).click();
    await page.getByText('Enter a diagnosis.').first().waitFor();
    await page.getByLabel('Diagnosis', { exact: true }).fill('Psoriasis vulgaris');
    await page.getByLabel('Code (optional)').first().fill('L40.0');
    await page.getByLabel('What should happen').selectOption('treat-locally');
    await page.getByLabel('Management advice').fill('Emollients and a topical steroid; review in a month.');
    await page.getByRole('button', { name: 'Send my opinion' }).click();

    await page.getByText('Your opinion is saved: here is what the panel said.').waitFor();
    const own = page.locator('#own-opinion');
    await own.getByText('Agrees with the panel\'s consensus').waitFor();
    expect(await own.textContent()).toContain('Psoriasis vulgaris (ICD-10 L40.0)');
    const panel = page.locator('#panel');
    expect(await panel.locator('#consensus').textContent()).toContain('Plaque psoriasis (ICD-10 L40.0)');
    expect(await panel.locator('article.opinion h3').allTextContents()).toEqual(['Plaque psoriasis (ICD-10 L40.0)', 'Chronic plaque psoriasis (ICD-10 l40.0)']);
    expect(await panel.locator('article.opinion p.muted').allTextContents()).toEqual(['Specialist 1', 'Specialist 2']);
    const outcome = (await page.locator('#outcome').textContent()) ?? '';
    expect(outcome).toContain('Histology');
    expect(outcome).toContain('Punch biopsy: psoriasiform hyperplasia.');
    const revealed = (await page.locator('#main').textContent()) ?? '';
    for (const hidden of [PATIENT_REF, 'Nurse Chen', 'Dr Huang', 'Dr Osei', 'Any nail pitting?']) expect(revealed).not.toContain(hidden);
    const file = await screenshot(page, 'issue-19-trainee-view');
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      fs.mkdirSync(DOCS_DIR, { recursive: true });
      fs.copyFileSync(file, path.join(DOCS_DIR, 'trainee-view.png'));
    }

    // Back on the list, the case says they agreed; their own page counts it.
    await page.getByRole('link', { name: 'All teaching cases' }).click();
    await page.locator('#teaching-list li', { hasText: 'You agreed with the panel' }).waitFor();
    await page.getByRole('link', { name: 'My learning' }).click();
    await page.locator('#learning-summary').waitFor();
    expect(await page.locator('#learning-summary').textContent()).toBe("You agreed with the panel's consensus in 1 of 1 case (100%).");
    expect(await page.getByRole('img', { name: 'Your opinions and agreements per month' }).count()).toBe(1);
    const cells = await page.locator('#learning-table tbody tr').first().locator('th, td').allTextContents();
    expect(cells.slice(1)).toEqual(['1', '1', '100%']);

    // A case page of the staff is not theirs: the app sends them home, the API answers 404.
    await page.goto(`/#/cases/${caseId}`);
    await poll(() => page.evaluate(() => location.hash)).toBe('#/teaching');
  });
});
