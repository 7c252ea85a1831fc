// Photo quality at capture in a real Chromium (SPEC "Photo quality at capture"): a photo is measured as soon as
// it is chosen, with the server's own measure, and one that looks blurry or dark gets a plain line on what to
// fix, with "Retake" and "Send anyway", never stopping the form: on the clinician's new-case form, and on the
// parent's follow-up page on a phone, in English and in French (the longest). The reviewer then sees the
// warning on the photo's thumbnail. Screenshots go to test-results/screenshots, and to docs/screenshots/issue-18
// with UPDATE_DOCS_SCREENSHOTS=1.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, SCREENSHOT_DIR, signIn } from '../helpers/browser.js';
import { fixturePath, postCase } from '../helpers/cases.js';
import { auth } from '../helpers/review-kit.js';

const DOCS_DIR = path.resolve(process.cwd(), 'docs/screenshots/issue-18');
const SHARP_PHOTO = fixturePath('real/jolla.jpg');

/** A file to give a file input, as a phone's camera would: a JPEG of `bytes`. */
const photoFile = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });

/** How far the page reaches sideways: no wider than the phone, or the reader has to scroll to read it. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** A screenshot of the page, or of one part of it, kept for the docs too when asked. */
async function keepScreenshot(page: Page, name: string, part?: Locator): Promise<void> {
  let file = await screenshot(page, name);
  if (part) {
    file = path.join(SCREENSHOT_DIR, `${name}-part.png`);
    await part.screenshot({ path: file });
  }
  if (process.env.UPDATE_DOCS_SCREENSHOTS) {
    fs.mkdirSync(DOCS_DIR, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_DIR, `${name}.png`));
  }
}

describe.skipIf(!hasChromium)('photo quality at capture, in the browser', { timeout: 180_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let clinician: { id: string; token: string; email: string; password: string };
  let reviewer: { id: string; token: string; email: string; password: string };
  let blurred: Buffer;
  let dark: Buffer;
  const opened = new OpenedPages();

  async function open(viewport = PHONE): Promise<Page> {
    return opened.open(browser, baseUrl, viewport);
  }

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const site = await t.http.post('/api/v1/sites').set(auth(await t.adminToken())).send({ name: 'Riverside Health Centre', tier: 'primary' });
    clinician = await t.createUser('clinician', { siteId: site.body.id, name: 'Nurse Chen' });
    reviewer = await t.createUser('reviewer', { queues: ['general'], name: 'Dr Huang' });
    // A sharp 8 MP photo, strongly blurred, and darkened to 15 % of its light: each has one thing to fix.
    [blurred, dark] = await Promise.all([sharp(SHARP_PHOTO).blur(30).jpeg({ quality: 85 }).toBuffer(), sharp(SHARP_PHOTO).linear(0.15, 0).jpeg({ quality: 85 }).toBuffer()]);
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  async function fillCaseForm(page: Page) {
    await page.getByLabel('Patient reference').fill('RHC-2026-0318');
    await page.getByLabel('Age (years)').fill('7');
    await page.getByLabel('Sex').selectOption('male');
    await page.getByLabel('Skin type (Fitzpatrick)').selectOption('3');
    await page.getByLabel('Where on the body').fill('Right knee');
    await page.getByLabel('How long has it been there (days)').fill('21');
    await page.getByLabel('History').fill('Round scaly patch, slowly growing, itchy at night.');
    await page.getByLabel('Your question for the specialist').fill('Tinea or nummular eczema?');
    await page.getByLabel('Specialist queue').selectOption('general');
    await page.getByRole('checkbox', { name: /agrees to their photos and details being sent to specialists/ }).check();
  }

  it('tells a clinician a photo is blurry, retakes it, then sends it anyway; the reviewer sees the warning on its thumbnail', async () => {
    const page = await open(PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.goto('/#/cases/new');
    await page.getByRole('heading', { name: 'New case', level: 1 }).waitFor();
    await fillCaseForm(page);

    const gallery = page.locator('input[type=file][name=photos]');
    await gallery.setInputFiles(photoFile('blurred.jpg', blurred));
    const prompt = page.getByRole('group', { name: 'Quality of photo 1' });
    await prompt.waitFor();
    expect(await prompt.locator('.quality-advice').allTextContents()).toEqual(['Looks blurry (little fine detail): hold the camera still and tap the lesion to focus.']);
    // Said to a screen reader once, politely, with the photo's number.
    expect(await page.locator('.picker [aria-live=polite]').last().textContent()).toBe('Photo 1: Looks blurry (little fine detail): hold the camera still and tap the lesion to focus.');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await keepScreenshot(page, 'retake-prompt-new-case', page.locator('fieldset.picker'));

    // Retake: the photo goes and the chooser it came from opens again, for another photo.
    const chooser = page.waitForEvent('filechooser');
    await prompt.getByRole('button', { name: 'Retake' }).click();
    const fileChooser = await chooser;
    expect(await page.locator('.preview').count()).toBe(0);
    expect(await page.locator('.picker-count').textContent()).toBe('No photos chosen yet');
    await fileChooser.setFiles(photoFile('blurred-again.jpg', blurred));
    await prompt.waitFor();

    // Send anyway, from the keyboard: the prompt goes, the photo stays, and the focus moves on to its kind.
    await prompt.getByRole('button', { name: 'Send anyway' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => prompt.isVisible()).toBe(false);
    expect(await page.locator('.preview').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('kind-0');
    // A sharp close-up beside it: sent at once, without waiting for its measure (which finds nothing to say).
    await gallery.setInputFiles(photoFile('sharp.jpg', fs.readFileSync(SHARP_PHOTO)));
    await page.getByLabel('Kind of photo 2').selectOption('closeup');

    await page.getByRole('button', { name: 'Send case' }).click();
    await page.waitForURL(/#\/cases\/(?!new$)[A-Za-z0-9_-]+$/, { timeout: 30_000 });
    const caseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
    const stored = await t.http.get(`/api/v1/cases/${caseId}`).set(auth(clinician.token));
    expect(stored.body.photos.map((p: { quality: { warnings: string[] } }) => p.quality.warnings)).toEqual([['blurry'], []]);

    // The reviewer who takes the case sees the warning on the thumbnail, and hears it with the photo's name.
    const claimed = await t.http.post('/api/v1/queues/general/claim').set(auth(reviewer.token));
    expect(claimed.body.id).toBe(caseId);
    const desk = await open(DESKTOP);
    await signIn(desk, reviewer.email, reviewer.password);
    await desk.goto(`/#/cases/${caseId}`);
    const thumbs = desk.locator('.thumb');
    await poll(() => thumbs.count()).toBe(2);
    expect(await thumbs.nth(0).locator('.quality-mark').textContent()).toBe('Blurry');
    expect(await thumbs.nth(0).getAttribute('aria-label')).toMatch(/^.+ · Overview 1 of 2\. Quality warning: Blurry$/);
    expect(await thumbs.nth(1).locator('.quality-mark').count()).toBe(0);
    expect(await thumbs.nth(1).getAttribute('aria-label')).toMatch(/^.+ · Close-up 2 of 2$/);
    await poll(() => desk.locator('.thumb-img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    await keepScreenshot(desk, 'thumbnail-warnings', desk.locator('.photos-section'));
  });

  it('says it in French for a French clinician, within a 390 px phone', async () => {
    const french = await t.createUser('clinician', { name: 'Dr Martin' });
    expect((await t.http.patch('/api/v1/me').set(auth(french.token)).send({ language: 'fr' })).status).toBe(200);
    const page = await open(PHONE);
    await signIn(page, french.email, french.password);
    await page.goto('/#/cases/new');
    await page.locator('input[type=file][name=photos]').setInputFiles([photoFile('sharp.jpg', fs.readFileSync(SHARP_PHOTO)), photoFile('dark.jpg', dark)]);
    const prompt = page.getByRole('group', { name: 'Qualité de la photo 2' });
    await prompt.waitFor();
    // Too dark only: the low contrast that darkness brings is not a second thing to fix.
    expect(await prompt.locator('.quality-advice').allTextContents()).toEqual([
      'Sous-exposée (en grande partie dans l’ombre) : passez à la lumière du jour ou ajoutez de la lumière, sans reflet de flash.',
    ]);
    expect(await prompt.getByRole('button').allTextContents()).toEqual(['Reprendre', 'Envoyer quand même']);
    // The sharp photo, measured first (one at a time), has no prompt.
    expect(await page.locator('.quality-check:not([hidden])').count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
  });

  async function followUpLink(): Promise<{ caseId: string; token: string }> {
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const link = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set(auth(clinician.token)).send({ maxPhotos: 5 });
    expect(link.status).toBe(201);
    return { caseId: created.body.id as string, token: link.body.token as string };
  }

  it("tells a parent on a phone that a photo is too dark, in plain words, and sends it when they choose so; a sharp photo passes quietly", async () => {
    const { caseId, token } = await followUpLink();
    const page = await open(PHONE);
    await page.goto(`/f/${token}`);
    await poll(() => page.locator('.picker-camera').isVisible()).toBe(true);
    // The sharp photo is measured first, one photo at a time: once the dark one's prompt shows, both are measured.
    await page.locator('#photos').setInputFiles([photoFile('sharp.jpg', fs.readFileSync(SHARP_PHOTO)), photoFile('dark.jpg', dark)]);
    const prompt = page.getByRole('group', { name: 'Photo 2' });
    await prompt.waitFor();
    expect(await prompt.locator('.advice').allTextContents()).toEqual(['The photo is too dark: move near a window or turn on a light, and keep the flash off.']);
    expect(await page.locator('#previews .check').count()).toBe(1);
    expect(await page.locator('form [aria-live=polite]').last().textContent()).toBe(
      'Photo 2: The photo is too dark: move near a window or turn on a light, and keep the flash off.',
    );
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await keepScreenshot(page, 'retake-prompt-follow-up');

    // Retake opens the chooser again; the dark photo comes back, and this time the parent sends it anyway.
    const chooser = page.waitForEvent('filechooser');
    await prompt.getByRole('button', { name: 'Retake' }).click();
    const fileChooser = await chooser;
    expect(await page.locator('#previews li').count()).toBe(1);
    await fileChooser.setFiles(photoFile('dark-again.jpg', dark));
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Send anyway' }).click();
    await poll(() => page.locator('#previews .check').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('send');
    await page.getByRole('button', { name: 'Send 2 photos' }).click();
    await poll(() => page.locator('#status').textContent(), 20_000).toContain('Thank you');

    const res = await t.http.get(`/api/v1/cases/${caseId}`).set(auth(clinician.token));
    const followUps = (res.body.photos as { kind: string; quality: { warnings: string[] } | null }[]).filter((p) => p.kind === 'followup');
    expect(followUps.map((p) => p.quality?.warnings.includes('too_dark'))).toEqual([false, true]);
  });

  it("words the parent's prompt in French within 390 px, and sends unchecked where the check did not load", async () => {
    const { token } = await followUpLink();
    const page = await open(PHONE);
    await page.goto(`/f/${token}?lang=fr`);
    await poll(() => page.locator('.picker-camera').isVisible()).toBe(true);
    await page.locator('#photos').setInputFiles(photoFile('sombre.jpg', dark));
    const prompt = page.getByRole('group', { name: 'Photo 1' });
    await prompt.waitFor();
    expect(await prompt.locator('.advice').allTextContents()).toEqual(['La photo est trop sombre\u00a0: rapprochez-vous d’une fenêtre ou allumez une lumière, sans le flash.']);
    expect(await prompt.getByRole('button').allTextContents()).toEqual(['Reprendre', 'Envoyer quand même']);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'retake-prompt-follow-up-fr');

    // Where the photo check does not run (a phone too old for it), the page sends as before.
    const bare = await open(PHONE);
    await bare.route(/\/assets\/photo-check\.[\w-]+\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await bare.goto(`/f/${token}`);
    await poll(() => bare.locator('.picker-camera').isVisible()).toBe(true);
    await bare.locator('#photos').setInputFiles(photoFile('dark.jpg', dark));
    await bare.getByRole('img', { name: 'Photo 1' }).waitFor();
    await bare.getByRole('button', { name: 'Send 1 photo' }).click();
    await poll(() => bare.locator('#status').textContent(), 20_000).toContain('Thank you');
    expect(await bare.locator('#previews .check').count()).toBe(0);
  });
});
