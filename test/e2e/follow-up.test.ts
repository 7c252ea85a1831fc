// The follow-up page in a real phone-sized Chromium: a parent opens the clinic's link, picks a photo, sees it,
// sends it with a progress bar and reads the result; the photo is then in the case. Also without JavaScript.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchBrowser, openPage, PHONE, screenshot } from '../helpers/browser.js';
import { fixturePath, postCase } from '../helpers/cases.js';

const SITE_NAME = 'Riverside Health Centre';
const SITE_CONTACT = '+86 871 6543 2100';

describe.skipIf(!hasChromium)('follow-up page on a phone', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let clinician: { id: string; token: string };
  let reviewer: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: SITE_NAME, tier: 'primary', contact: SITE_CONTACT });
    clinician = await t.createUser('clinician', { siteId: site.body.id });
    reviewer = await t.createUser('reviewer', { queues: ['general'] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function caseWithLink(maxPhotos = 10) {
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const link = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`).send({ maxPhotos });
    expect(link.status).toBe(201);
    return { caseId: created.body.id as string, token: link.body.token as string };
  }

  async function followUpPhotos(caseId: string) {
    const res = await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${reviewer.token}`);
    expect(res.status).toBe(200);
    return (res.body.photos as { kind: string; uploadedBy: string }[]).filter((p) => p.kind === 'followup');
  }

  it('lets a parent pick a photo, preview it, send it with progress and see the success message', async () => {
    const { caseId, token } = await caseWithLink(3);
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    const response = await page.goto(`/f/${token}`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Send follow-up photos' }).waitFor();
    expect(await page.locator('.clinic').textContent()).toBe(SITE_NAME);
    // Both ways in: the camera and the gallery.
    await expect.poll(() => page.getByText('Take a photo').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByText('Choose from gallery').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#camera').getAttribute('capture')).toBe('environment');

    await page.locator('#photos').setInputFiles(fixturePath('jpeg-all-metadata-orient6.jpg'));
    const preview = page.locator('#previews img');
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
    const send = page.getByRole('button', { name: 'Send 1 photo' });
    expect(await send.isEnabled()).toBe(true);
    await screenshot(page, 'follow-up-preview');
    await send.click();

    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Thank you');
    expect(await status.textContent()).toBe(`Thank you: 1 photo sent to ${SITE_NAME}. You can still send 2 photos with this link.`);
    expect(await status.getAttribute('class')).toContain('success');
    // The bar followed XMLHttpRequest upload progress to the end.
    expect(await page.locator('#progress').evaluate((bar: HTMLProgressElement) => bar.value)).toBe(100);
    await screenshot(page, 'follow-up');

    const photos = await followUpPhotos(caseId);
    expect(photos).toHaveLength(1);
    expect(photos[0]!.uploadedBy).toBe('link');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a note typed with the photo, and clears it afterwards', async () => {
    const { caseId, token } = await caseWithLink(3);
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await page.goto(`/f/${token}`);
    await page.locator('#photos').setInputFiles(fixturePath('orient-2.jpg'));
    const note = page.getByLabel('A note for the clinic (optional)');
    await note.fill('Less red since Monday.\nNo fever.');
    await page.getByRole('button', { name: 'Send 1 photo' }).click();
    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Thank you');
    expect(await status.textContent()).toBe(`Thank you: 1 photo and your note sent to ${SITE_NAME}. You can still send 2 photos with this link.`);
    expect(await note.inputValue()).toBe('');
    const seen = await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${reviewer.token}`);
    expect(seen.body.messages).toEqual([expect.objectContaining({ authorType: 'link', author: null, body: 'Less red since Monday.\nNo fever.' })]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("names the clinic's contact when the link stops working while the page is open", async () => {
    const { caseId, token } = await caseWithLink(1);
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await page.goto(`/f/${token}`);
    await page.locator('#photos').setInputFiles(fixturePath('orient-2.jpg'));
    // Someone else (another phone of the family) uses the link up meanwhile.
    const other = await t.http.post(`/f/${token}/photos`).attach('photos', fixturePath('orient-3.jpg'));
    expect(other.status).toBe(201);
    await page.getByRole('button', { name: 'Send 1 photo' }).click();
    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('no longer works');
    expect(await status.textContent()).toBe(`This link no longer works. To send more photos, contact ${SITE_NAME}: ${SITE_CONTACT}`);
    expect(await page.getByLabel('A note for the clinic (optional)').isVisible()).toBe(false);
    expect(await followUpPhotos(caseId)).toHaveLength(1);
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await context.close();
  });

  it('says in plain words when a file is not a photo, and sends nothing', async () => {
    const { caseId, token } = await caseWithLink();
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await page.goto(`/f/${token}`);
    await page.locator('#photos').setInputFiles(fixturePath('script.svg'));
    await page.getByRole('button', { name: 'Send 1 photo' }).click();
    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('not a photo');
    expect(await status.getAttribute('class')).toContain('error');
    await screenshot(page, 'follow-up-error');
    expect(await followUpPhotos(caseId)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works as a plain form without JavaScript', async () => {
    const { caseId, token } = await caseWithLink();
    const context = await browser.newContext({ baseURL: baseUrl, viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/f/${token}`);
    await page.locator('#photos').setInputFiles([fixturePath('orient-2.jpg'), fixturePath('real/DSCN0010.jpg')]);
    await screenshot(page, 'follow-up-no-script-form');
    await page.getByRole('button', { name: 'Send photos' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    expect(await page.locator('.status').textContent()).toBe(`2 photos sent to ${SITE_NAME}. You can still send 8 photos with this link.`);
    await screenshot(page, 'follow-up-no-script');
    expect(await followUpPhotos(caseId)).toHaveLength(2);
    await context.close();
  });

  it('shows the same plain page for a link that does not work', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    const response = await page.goto(`/f/${'Q'.repeat(43)}`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    expect(await page.locator('.status').textContent()).toContain('ask your clinic for a new one');
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await context.close();
  });
});
