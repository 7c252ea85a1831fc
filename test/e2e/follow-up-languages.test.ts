// The follow-up page in the parent's language, in a real phone-sized Chromium (390 px): a parent with a link
// made in Chinese opens it, chooses photos and sends them, and reads every word in Chinese; the switch changes
// the language with or without JavaScript; the browser's language decides for a link made without one; and no
// language, French the longest, makes the page wider than the phone. Screenshots of the page in each language
// go to test-results/screenshots, and to docs/screenshots/issue-17 with UPDATE_DOCS_SCREENSHOTS=1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchBrowser, openPage, PHONE, poll, screenshot, signIn } from '../helpers/browser.js';
import { CASE_INPUT, fixturePath, postCase } from '../helpers/cases.js';
import { LANGUAGES } from '../../src/vocabulary.js';

const SITE_NAME = 'Riverside Health Centre';
const DOCS_DIR = path.resolve(process.cwd(), 'docs/screenshots/issue-17');
const NAMES = { en: 'English', 'zh-CN': '中文', es: 'Español', fr: 'Français' };

/** How far the page reaches sideways: no wider than the phone, or the parent has to scroll to read it. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** The language switch as the parent sees it: the names the stylesheet draws, and which one is current. */
function switchNames(page: Page): Promise<{ name: string; current: boolean }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('nav.languages a')].map((a) => ({
      name: getComputedStyle(a, '::before').content.replace(/^"|"$/g, ''),
      current: a.getAttribute('aria-current') === 'true',
    })),
  );
}

describe.skipIf(!hasChromium)('follow-up page in the parent’s language, on a phone', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let clinician: { id: string; token: string; email: string; password: string };
  let reviewer: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: SITE_NAME, tier: 'primary' });
    clinician = await t.createUser('clinician', { siteId: site.body.id });
    reviewer = await t.createUser('reviewer', { queues: ['general'] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function caseWithLink(body: Record<string, unknown>) {
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const link = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`).send(body);
    expect(link.status).toBe(201);
    return { caseId: created.body.id as string, token: link.body.token as string };
  }

  async function followUpPhotos(caseId: string) {
    const res = await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${reviewer.token}`);
    expect(res.status).toBe(200);
    return (res.body.photos as { kind: string }[]).filter((p) => p.kind === 'followup');
  }

  it('walks a parent through sending photos in Chinese, from a link made in Chinese on an English phone', async () => {
    const { caseId, token } = await caseWithLink({ language: 'zh-CN', maxPhotos: 5 });
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    const response = await page.goto(`/f/${token}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-language']).toBe('zh-CN');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('heading', { name: '发送随访照片' }).waitFor();
    expect(await switchNames(page)).toEqual([
      { name: 'English', current: false },
      { name: '中文', current: true },
      { name: 'Español', current: false },
      { name: 'Français', current: false },
    ]);
    // The script has put its own words in: the camera, the gallery, and how many photos the link takes.
    await poll(() => page.getByText('拍照', { exact: true }).isVisible()).toBe(true);
    await poll(() => page.getByText('从相册选择').isVisible()).toBe(true);
    expect(await page.locator('#hint').textContent()).toBe('您最多可以发送 5 张照片。');

    await page.locator('#photos').setInputFiles([fixturePath('orient-2.jpg'), fixturePath('jpeg-all-metadata-orient6.jpg')]);
    await page.getByRole('img', { name: '照片 2' }).waitFor();
    expect(await page.getByRole('button', { name: '移除第 1 张照片' }).textContent()).toBe('移除');
    const send = page.getByRole('button', { name: '发送 2 张照片' });
    expect(await send.isEnabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'follow-up-zh-CN-chosen');
    await send.click();

    const status = page.locator('#status');
    await poll(() => status.textContent(), 20_000).toContain('谢谢您');
    expect(await status.textContent()).toBe(`谢谢您！2 张照片已发送给${SITE_NAME}。这个链接还可以再发送 3 张照片。`);
    expect(await status.getAttribute('class')).toContain('success');
    expect(await page.locator('#hint').textContent()).toBe('您最多可以发送 3 张照片。');
    // Nothing on the page is in English any more (the clinic's own name aside), nor about the patient.
    const text = (await page.locator('main').innerText()).replaceAll(SITE_NAME, '');
    expect(text.match(/[A-Za-z]+/g) ?? []).toEqual([]);
    const html = await page.content();
    for (const secret of [CASE_INPUT.patientRef, CASE_INPUT.history, CASE_INPUT.bodySite]) expect(html).not.toContain(secret);
    await screenshot(page, 'follow-up-zh-CN-sent');

    expect(await followUpPhotos(caseId)).toHaveLength(2);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("lets the clinician choose the parent's language when making the link, their own by default, and lists the link with it", async () => {
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${created.body.id}`);
    const language = page.getByLabel("Parent's language");
    await language.waitFor();
    expect(await language.inputValue()).toBe('en');
    await language.selectOption({ label: '中文' });
    await page.getByRole('button', { name: 'Make a follow-up link' }).click();
    const url = await page.getByLabel('Follow-up link (shown only now)').inputValue();
    const list = await t.http.get(`/api/v1/cases/${created.body.id}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`);
    expect(list.body.items.map((l: { language: string | null }) => l.language)).toEqual(['zh-CN']);
    // The case's list of links says which language the link's page speaks, named in itself as in the form.
    await poll(() => page.locator('#follow-up-links .link-item .link-language').allTextContents()).toEqual(["Parent's language: 中文"]);
    // The parent's phone, in English, opens the link in Chinese.
    await page.goto(`/f/${new URL(url).pathname.split('/').pop()}`);
    await page.getByRole('heading', { name: '发送随访照片' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches language from the page, and follows the browser for a link made without one', async () => {
    const { token } = await caseWithLink({});
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await context.setExtraHTTPHeaders({ 'accept-language': 'fr-FR,fr;q=0.9' });
    await page.goto(`/f/${token}`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.getByRole('heading', { name: 'Envoyez vos photos de suivi' }).waitFor();
    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Envíe sus fotos de seguimiento' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/f/${token}?lang=es`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await poll(() => page.getByText('Elegir de la galería').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Send follow-up photos' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the language chosen on the page through the form sent without JavaScript', async () => {
    const { caseId, token } = await caseWithLink({ language: 'zh-CN' });
    const context = await browser.newContext({ baseURL: baseUrl, viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/f/${token}`);
    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Envíe sus fotos de seguimiento' }).waitFor();
    await page.locator('#photos').setInputFiles(fixturePath('orient-3.jpg'));
    await page.getByRole('button', { name: 'Enviar fotos' }).click();
    await page.getByRole('heading', { name: 'Muchas gracias' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await page.locator('.status').textContent()).toBe(`Se ha enviado 1 foto a ${SITE_NAME}. Todavía puede enviar 9 fotos con este enlace.`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'follow-up-es-no-script-sent');
    // And back to the page, still in Spanish.
    await page.getByRole('link', { name: 'Enviar más fotos' }).click();
    await page.getByRole('heading', { name: 'Envíe sus fotos de seguimiento' }).waitFor();
    expect(await followUpPhotos(caseId)).toHaveLength(1);
    await context.close();
  });

  it('fits every language on a 390 px phone, French the longest, and takes its picture', async () => {
    // Chinese needs a CJK font, or the pictures show empty boxes (.ci/run installs fonts-wqy-microhei).
    expect(execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim(), 'a font with Chinese glyphs').not.toBe('');
    const { token } = await caseWithLink({ maxPhotos: 10 });
    const heights: Record<string, number> = {};
    for (const language of LANGUAGES) {
      const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
      await page.goto(`/f/${token}?lang=${language}`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      await poll(() => page.locator('.picker-camera').isVisible()).toBe(true);
      expect((await switchNames(page)).map((s) => s.name)).toEqual(Object.values(NAMES));
      expect(await pageWidth(page), language).toBeLessThanOrEqual(PHONE.width);
      heights[language] = await page.evaluate(() => document.documentElement.scrollHeight);
      const file = await screenshot(page, `follow-up-${language}`);
      if (process.env.UPDATE_DOCS_SCREENSHOTS) {
        fs.mkdirSync(DOCS_DIR, { recursive: true });
        fs.copyFileSync(file, path.join(DOCS_DIR, `follow-up-${language}.png`));
      }
      // With photos chosen the button says how many, longer in French; still within the phone.
      await page.locator('#photos').setInputFiles([fixturePath('orient-2.jpg'), fixturePath('orient-3.jpg')]);
      await page.locator('#previews img').nth(1).waitFor();
      expect(await pageWidth(page), `${language} with photos`).toBeLessThanOrEqual(PHONE.width);
      expect(problems).toEqual([]);
      await context.close();
    }
    // French is the longest: the words wrap, they do not widen the page.
    expect(heights.fr).toBeGreaterThan(heights.en!);
  });
});
