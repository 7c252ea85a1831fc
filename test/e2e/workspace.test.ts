// The reviewer's workspace in a real browser: photos loaded as the screen needs them (thumbnail, display copy,
// full resolution only when zoomed in), full screen, keyboard shortcuts behind "?", the opinion form beside
// the details on a 1440 x 900 screen, "Give opinion and take next", the follow-up timeline with its "new" marks
// and two photos compared with linked zoom and pan; and the queue page's figures agreeing with "take next".
import type { Browser, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn } from '../helpers/browser.js';
import { fixturePath, postCase } from '../helpers/cases.js';
import { auth, reviewKit } from '../helpers/review-kit.js';

const LAPTOP = { width: 1440, height: 900 };
const DAY = 24 * 60 * 60 * 1000;

type User = Awaited<ReturnType<TestApp['createUser']>>;

/** A photo larger than the display copy (2048 px), with detail to see: rings on a skin-coloured gradient. */
function largePhoto(width = 3000, height = 2000): Promise<Buffer> {
  const rings = Array.from({ length: 40 }, (_, i) => `<circle cx="${width / 2}" cy="${height / 2}" r="${20 + i * 22}" fill="none" stroke="#6b3a2a" stroke-width="${1 + (i % 4)}"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#e8b99a"/><stop offset="1" stop-color="#b9785a"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${rings}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

describe.skipIf(!hasChromium)("web app: the reviewer's workspace", { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let kit: ReturnType<typeof reviewKit>;
  let clinician: User;
  let reviewer: User;
  let large: Buffer;
  const opened = new OpenedPages();

  beforeAll(async () => {
    // Days pass in the follow-up steps: sessions outlive them.
    t = await startTestApp({ SESSION_TTL_HOURS: String(24 * 30) });
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    kit = reviewKit(t);
    clinician = await t.createUser('clinician', { name: 'Nurse Abebe' });
    large = await largePhoto();
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  async function open(viewport = LAPTOP): Promise<Page> {
    return opened.open(browser, baseUrl, viewport);
  }

  /** A queue of its own with a reviewer, and a case in it with a large overview and a small close-up. */
  async function queueWithCase(quorum = 2) {
    const queue = await kit.queue(quorum);
    const [who] = await kit.reviewers(1, [queue]);
    const res = await postCase(t, clinician.token, [large, 'orient-1.jpg'], { queue, question: 'Is this a melanoma?' }, ['overview', 'closeup']);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { queue, reviewer: who!, caseId: res.body.id as string, photos: res.body.photos as { id: string }[] };
  }

  /** The photo requests a page makes, as `variant photoId`. */
  function photoRequests(page: Page): string[] {
    const seen: string[] = [];
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      const m = /^\/api\/v1\/photos\/([^/]+)$/.exec(url.pathname);
      if (m) seen.push(`${url.searchParams.get('variant') ?? 'full'} ${decodeURIComponent(m[1]!)}`);
    });
    return seen;
  }

  async function openTaken(who: User, queue: string, viewport = LAPTOP): Promise<Page> {
    const page = await open(viewport);
    await signIn(page, who.email, who.password);
    await page.locator(`.queue-card[data-queue="${queue}"]`).getByRole('button', { name: 'Take next case' }).click();
    await page.waitForURL(/#\/cases\/[A-Za-z0-9_-]+$/);
    return page;
  }

  async function fillOpinion(page: Page, text: string) {
    const form = page.locator('#opinion-form');
    await form.getByLabel('Diagnosis', { exact: true }).fill(text);
    await form.getByLabel('What should happen').selectOption('biopsy');
    await form.getByLabel('Management advice').fill('Excision biopsy with 2 mm margins.');
  }

  const scaleOf = async (page: Page, selector: string) => Number(await page.locator(selector).getAttribute('data-scale'));

  it('shows the display copy first and fetches the full resolution only when zoomed in beyond it, keeping the place', async () => {
    const { queue, reviewer: who, photos } = await queueWithCase();
    reviewer = who;
    const page = await open();
    const requests = photoRequests(page);
    await signIn(page, who.email, who.password);
    // The full photo is held back until the test has seen the display copy zoomed in.
    let releaseFull = () => {};
    const fullReleased = new Promise<void>((resolve) => (releaseFull = resolve));
    await page.route(/\/api\/v1\/photos\/[^/?]+$/, async (route) => {
      await fullReleased;
      await route.continue();
    });
    await page.locator(`.queue-card[data-queue="${queue}"]`).getByRole('button', { name: 'Take next case' }).click();
    const viewport = page.locator('#main-viewer .viewer-viewport');
    await page.locator('#main-viewer .viewer-viewport[data-shown=display]').waitFor();
    expect(await viewport.getAttribute('data-loaded')).toBe('true');
    // 1875 px wide: the display copy of the 3000 px JPEG, kept lossless and decoded at 5/8 for its copy;
    // laid out in the photo's own pixels.
    expect(await page.locator('#main-viewer img').evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).style.width])).toEqual([1875, '3000px']);
    const large = photos[0]!.id;
    expect(requests.filter((r) => r.startsWith('full '))).toEqual([]);
    expect(requests).toContain(`display ${large}`);
    expect(requests.filter((r) => r.startsWith('display ')), 'only the photo on screen').toEqual([`display ${large}`]);

    // Zoomed in a little, still within the display copy's pixels: no full resolution.
    await page.locator('#main-viewer .zoom-in').click();
    expect(await scaleOf(page, '#main-viewer')).toBeLessThan(1875 / 3000);
    expect(requests.filter((r) => r.startsWith('full '))).toEqual([]);

    // 1:1 needs more pixels than the display copy has.
    await page.locator('#main-viewer .zoom-actual').click();
    await poll(() => requests.filter((r) => r.startsWith('full '))).toEqual([`full ${large}`]);
    expect(await viewport.getAttribute('data-shown')).toBe('display');
    const transform = await page.locator('#main-viewer img').evaluate((img) => (img as HTMLImageElement).style.transform);
    releaseFull();
    await page.locator('#main-viewer .viewer-viewport[data-shown=full]').waitFor();
    expect(await page.locator('#main-viewer img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(3000);
    // The same place at the same zoom, now sharp.
    expect(await page.locator('#main-viewer img').evaluate((img) => (img as HTMLImageElement).style.transform)).toBe(transform);
    expect(await scaleOf(page, '#main-viewer')).toBe(1);

    // The small close-up: its display copy is the photo itself, so 1:1 fetches nothing more.
    await page.keyboard.press('j');
    await poll(() => page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[1]!.id);
    await page.locator('#main-viewer .viewer-viewport[data-shown=display]').waitFor();
    await page.locator('#main-viewer .zoom-actual').click();
    expect(requests.filter((r) => r === `full ${photos[1]!.id}`)).toEqual([]);
  });

  it('lays the workspace out at 1440 x 900: a large viewer, the question and the opinion form beside it, all without scrolling', async () => {
    const { queue, reviewer: who } = await queueWithCase();
    const page = await openTaken(who, queue);
    await page.locator('#case-page[data-layout=workspace]').waitFor();
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    await screenshot(page, 'reviewer-workspace-1440');
    const box = (await page.locator('#main-viewer .viewer-viewport').boundingBox())!;
    expect(box.width).toBeGreaterThan(900);
    expect(box.height).toBeGreaterThan(600);
    const inView = (selector: string) =>
      page.locator(selector).first().evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth && r.height > 0;
      });
    expect(await inView('#opinion-form input[name="diagnosis-text"]')).toBe(true);
    expect(await page.locator('#workspace').getByText('Is this a melanoma?').isVisible()).toBe(true);
    expect(await inView('#workspace dd:has-text("Is this a melanoma?")')).toBe(true);
    // Beside the photos, not below them.
    const form = (await page.locator('#opinion-form').boundingBox())!;
    expect(form.x).toBeGreaterThan(box.x + box.width);
    expect(await page.evaluate(() => [document.documentElement.scrollHeight > window.innerHeight ? window.scrollY : 0, document.activeElement?.tagName])).toEqual([0, 'H1']);

    // A few Tab presses from the page's start reach the opinion form: the link before the photos leads there.
    await page.locator('h1').focus();
    let presses = 0;
    while (presses < 10 && !(await page.evaluate(() => document.activeElement?.classList.contains('to-opinion')))) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(presses).toBeLessThanOrEqual(2);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('diagnosis-text');

    // On a phone it stacks: the photos first, the form below.
    const phone = await openTaken((await kit.reviewers(1, [queue]))[0]!, queue, PHONE);
    await phone.locator('#case-page[data-layout=workspace]').waitFor();
    const viewer = (await phone.locator('#main-viewer .viewer-viewport').boundingBox())!;
    const phoneForm = (await phone.locator('#opinion-form').boundingBox())!;
    expect(viewer.width).toBeGreaterThan(PHONE.width - 80);
    expect(phoneForm.y).toBeGreaterThan(viewer.y + viewer.height);
    await screenshot(phone, 'reviewer-workspace-phone');
  });

  it('toggles full screen with the button and F, and leaves it with Esc', async () => {
    expect(reviewer, 'the reviewer of the first step').toBeDefined();
    const page = await open();
    await signIn(page, reviewer.email, reviewer.password);
    await page.goto('/#/cases');
    await page.locator('.case-row a').first().click();
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    const fullscreen = () => page.evaluate(() => document.fullscreenElement?.id ?? null);
    await page.locator('#main-viewer .zoom-fullscreen').click();
    await poll(fullscreen).toBe('main-viewer');
    // The photo fills the screen.
    const box = (await page.locator('#main-viewer .viewer-viewport').boundingBox())!;
    expect(box.height).toBeGreaterThan(LAPTOP.height - 120);
    await page.keyboard.press('Escape');
    await poll(fullscreen).toBe(null);
    await page.locator('h1').focus();
    await page.keyboard.press('f');
    await poll(fullscreen).toBe('main-viewer');
    // The button follows the 'fullscreenchange' event, which may come a moment after the element is set.
    await poll(() => page.locator('#main-viewer .zoom-fullscreen').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('f');
    await poll(fullscreen).toBe(null);
  });

  it('lists the shortcuts behind "?" in a dialog that keeps the focus and closes with Esc; no shortcut fires while typing', async () => {
    const { queue, reviewer: who, photos } = await queueWithCase();
    const page = await openTaken(who, queue);
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    await page.locator('h1').focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open && d.matches(':modal'))).toBe(true);
    const text = await dialog.textContent();
    for (const words of ['Next photo', 'Previous photo', 'Zoom in', 'Zoom out', 'Fit to screen', 'Actual pixels', 'Full screen', 'Go to your opinion', 'Give opinion and take next']) expect(text).toContain(words);
    await screenshot(page, 'reviewer-shortcuts');
    // Tab and Shift+Tab stay in the dialog.
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.id ?? null)).toBe('shortcuts-dialog');
    }
    await page.keyboard.press('Escape');
    await poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    // Shortcuts work from the page: next photo, zoom, the opinion form.
    expect(await page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[0]!.id);
    await page.keyboard.press('j');
    await poll(() => page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[1]!.id);
    await page.keyboard.press('k');
    await poll(() => page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[0]!.id);
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    const fitted = await scaleOf(page, '#main-viewer');
    await page.keyboard.press('+');
    expect(await scaleOf(page, '#main-viewer')).toBeGreaterThan(fitted);
    await page.keyboard.press('0');
    expect(await scaleOf(page, '#main-viewer')).toBeCloseTo(fitted, 4);
    await page.keyboard.press('o');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('diagnosis-text');

    // Typing in the management advice: the letters and signs go into the text, nothing else happens.
    const advice = page.locator('#opinion-form').getByLabel('Management advice');
    await advice.focus();
    await page.keyboard.type('j+f?n0');
    expect(await advice.inputValue()).toBe('j+f?n0');
    expect(await page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[0]!.id);
    expect(await scaleOf(page, '#main-viewer')).toBeCloseTo(fitted, 4);
    expect(await page.evaluate(() => [document.fullscreenElement, document.querySelector('dialog[open]')])).toEqual([null, null]);
  });

  it('keeps the same photo selected after a plain "Give opinion"', async () => {
    const { queue, reviewer: who, photos } = await queueWithCase();
    const page = await openTaken(who, queue);
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    await page.locator('.photo-timeline .thumb').nth(1).click();
    await poll(() => page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[1]!.id);
    await fillOpinion(page, 'Compound naevus');
    await page.locator('#opinion-form').getByRole('button', { name: 'Give opinion', exact: true }).click();
    await page.getByText('Your opinion is saved.').waitFor();
    await page.locator('#opinions .opinion').waitFor();
    expect(await page.locator('#main-viewer').getAttribute('data-photo-id')).toBe(photos[1]!.id);
    expect(await page.locator('.photo-timeline .thumb[aria-pressed=true]').getAttribute('data-photo-id')).toBe(photos[1]!.id);
  });

  it('"Give opinion and take next" opens the next case of the queue, then the queue page once nothing is waiting', async () => {
    const { queue, reviewer: who, caseId } = await queueWithCase();
    t.clock.advance(60_000);
    const second = await postCase(t, clinician.token, ['orient-1.jpg'], { queue, patientRef: 'NEXT-2' });
    expect(second.status).toBe(201);
    const page = await openTaken(who, queue);
    expect(page.url()).toContain(caseId);
    await fillOpinion(page, 'Superficial spreading melanoma');
    await page.locator('#opinion-form').getByRole('button', { name: 'Give opinion and take next' }).click();
    await page.waitForURL(new RegExp(`#/cases/${second.body.id}$`));
    await page.getByText('Your opinion is saved. You have taken this case.').waitFor();
    await page.getByRole('heading', { name: /^NEXT-2/, level: 1 }).waitFor();
    const opinions = await kit.read(who.token, caseId);
    expect(opinions.body.opinions).toHaveLength(1);

    await fillOpinion(page, 'Seborrhoeic keratosis');
    await page.locator('#opinion-form').getByRole('button', { name: 'Give opinion and take next' }).click();
    await page.waitForURL(/#\/queues$/);
    await page.getByText('Your opinion is saved. Nothing is waiting in this queue.').waitFor();
    expect((await kit.read(who.token, second.body.id)).body.opinions).toHaveLength(1);
  });

  it('groups the photos by upload with real dates and marks those sent since the last visit, in the title too', async () => {
    const { queue, reviewer: who, caseId, photos } = await queueWithCase();
    // The reviewer reads the case once; then the referrer adds photos a day later and the patient a day after.
    expect((await kit.read(who.token, caseId)).status).toBe(200);
    t.clock.advance(DAY);
    const later = await t.http.post(`/api/v1/cases/${caseId}/photos`).set(auth(clinician.token)).attach('photos', fixturePath('real/DSCN0012.jpg')).field('kinds', JSON.stringify(['closeup']));
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    t.clock.advance(DAY);
    const link = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set(auth(clinician.token)).send({});
    expect(link.status).toBe(201);
    const sent = await t.http.post(`/f/${link.body.token}/photos`).set('accept', 'application/json').attach('photos', fixturePath('orient-1.jpg')).attach('photos', fixturePath('real/DSCN0010.jpg'));
    expect(sent.status, sent.text).toBe(201);

    const page = await openTaken(who, queue);
    await page.getByRole('heading', { name: 'Photos (5), 3 new since your last visit' }).waitFor();
    const groups = page.locator('.photo-timeline .photo-group');
    expect(await groups.count()).toBe(3);
    expect(await groups.locator('.photo-group-title').allTextContents()).toEqual([
      expect.stringMatching(/First photos from the referrer$/),
      expect.stringMatching(/Later photos from the referrer$/),
      expect.stringMatching(/From the patient \(follow-up link\)$/),
    ]);
    // Each photo named by date, kind and place in its upload; the three dates differ.
    // (The small test photos also carry their quality warnings, e.g. ". Quality warning: Too small": set aside here.)
    const labels = await page.locator('.photo-timeline .thumb').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')?.replace(/\. Quality warnings?: .*$/, '') ?? null));
    expect(labels).toEqual([
      expect.stringMatching(/^\w+ \d+ · Overview 1 of 2$|^\d+ \w+ · Overview 1 of 2$/),
      expect.stringMatching(/· Close-up 2 of 2$/),
      expect.stringMatching(/· Close-up, new since your last visit$/),
      expect.stringMatching(/· Follow-up 1 of 2, new since your last visit$/),
      expect.stringMatching(/· Follow-up 2 of 2, new since your last visit$/),
    ]);
    const days = new Set(labels.map((l) => l!.split(' · ')[0]));
    expect(days.size).toBe(3);
    const marked = await page.locator('.photo-timeline .thumb').evaluateAll((buttons) => buttons.map((b) => [(b as HTMLElement).dataset.photoId, b.querySelector('.new-mark') !== null]));
    expect(marked.slice(0, 2)).toEqual([
      [photos[0]!.id, false],
      [photos[1]!.id, false],
    ]);
    expect(marked.slice(2).map(([, mark]) => mark)).toEqual([true, true, true]);
    await screenshot(page, 'reviewer-follow-up-timeline');

    // Read again: nothing is new any more.
    await page.reload();
    await page.getByRole('heading', { name: 'Photos (5)', exact: true }).waitFor();
    expect(await page.locator('.photo-timeline .new-mark').count()).toBe(0);
  });

  it('compares two photos side by side with zoom and pan linked, relative to each photo, until unlinked', async () => {
    const { queue, reviewer: who, caseId } = await queueWithCase();
    t.clock.advance(DAY);
    const later = await t.http.post(`/api/v1/cases/${caseId}/photos`).set(auth(clinician.token)).attach('photos', fixturePath('real/DSCN0012.jpg')).field('kinds', JSON.stringify(['overview']));
    expect(later.status).toBe(201);
    const page = await openTaken(who, queue);
    const requests = photoRequests(page);
    const compare = page.locator('#compare');
    await compare.waitFor();
    await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    // Below the workspace: nothing fetched for it until it is scrolled to.
    expect(await compare.locator('.viewer-viewport[data-loaded=true]').count()).toBe(0);
    expect(requests.filter((r) => r.includes(later.body.photos[0].id) && !r.startsWith('thumb '))).toEqual([]);
    await compare.scrollIntoViewIfNeeded();
    await poll(() => compare.locator('.viewer-viewport[data-loaded=true]').count()).toBe(2);
    expect(await compare.locator('.compare-before figcaption').textContent()).toContain('Overview');
    expect(await compare.locator('.compare-after figcaption').textContent()).toContain('Overview');
    expect(await compare.locator('.compare-after .viewer').getAttribute('data-photo-id')).toBe(later.body.photos[0].id);

    const before = '#compare .compare-before .viewer';
    const after = '#compare .compare-after .viewer';
    const zoomOf = (selector: string) => page.locator(selector).evaluate((el) => el.getAttribute('data-zoomed'));
    const afterFitted = await scaleOf(page, after);
    const beforeFitted = await scaleOf(page, before);
    await compare.locator('.compare-before .zoom-in').click();
    await compare.locator('.compare-before .zoom-in').click();
    expect(await zoomOf(after)).toBe('true');
    // The same zoom relative to each photo's fit, though the photos differ in size.
    expect((await scaleOf(page, after)) / afterFitted).toBeCloseTo((await scaleOf(page, before)) / beforeFitted, 3);
    // Panning one pans the other.
    const imgTransform = (selector: string) => page.locator(`${selector} img`).evaluate((img) => (img as HTMLImageElement).style.transform);
    const afterBefore = await imgTransform(after);
    const box = (await page.locator(`${before} .viewer-viewport`).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 40, { steps: 4 });
    await page.mouse.up();
    expect(await imgTransform(after)).not.toBe(afterBefore);
    await screenshot(page, 'reviewer-compare-linked');

    // Unlinked: the other pane stays where it is.
    await compare.getByLabel('Link zoom and pan').uncheck();
    const kept = await imgTransform(after);
    const keptScale = await scaleOf(page, after);
    await compare.locator('.compare-before .zoom-in').click();
    expect(await imgTransform(after)).toBe(kept);
    expect(await scaleOf(page, after)).toBe(keptScale);
  });

  it("says on the queue page what its figures count, in agreement with what 'Take next case' finds", async () => {
    const queue = await kit.queue(1);
    const [asker, other] = await kit.reviewers(2, [queue]);
    const res = await postCase(t, clinician.token, ['orient-1.jpg'], { queue });
    const caseId = res.body.id as string;
    expect((await kit.claim(asker!.token, queue)).status).toBe(200);
    expect((await kit.message(asker!.token, caseId, 'Any itching?', true)).status).toBe(201);

    const page = await open(PHONE);
    await signIn(page, other!.email, other!.password);
    const card = page.locator(`.queue-card[data-queue="${queue}"]`);
    await card.waitFor();
    expect(await card.locator('.queue-open').textContent()).toBe('1');
    expect(await card.locator('.queue-waiting').textContent()).toBe('None');
    expect(await card.locator('dt').allTextContents()).toEqual(['Waiting to be taken', 'Not yet answered', 'Opinions needed', 'Reviewers']);
    await card.getByRole('button', { name: 'Take next case' }).click();
    await card.getByText('Nothing is waiting in this queue.').waitFor();
    expect(await card.locator('.claim-result').textContent()).toContain('Its case not yet answered is with other specialists or waiting for the referrer.');
    await screenshot(page, 'reviewer-queue-nothing-waiting-phone');
  });
});
