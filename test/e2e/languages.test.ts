// The web app in the user's own language, in a real phone-sized Chromium (390 px): a clinician whose account is
// in Chinese signs in on an English browser, reads the app in Chinese, files a new case and sees it listed; the
// account page's 'Language' select switches the page to French at once, saved for the next sign-in, and French,
// the longest, does not make the account page wider than the phone. The Chinese new-case form goes to
// test-results/screenshots, and to docs/screenshots/issue-17 with UPDATE_DOCS_SCREENSHOTS=1.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn } from '../helpers/browser.js';
import { fixturePath } from '../helpers/cases.js';

const DOCS_DIR = path.resolve(process.cwd(), 'docs/screenshots/issue-17');
const CJK = /[\u4e00-\u9fff]/;

describe.skipIf(!hasChromium)('the web app in the user’s language, on a phone', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let siteId: string;
  const opened = new OpenedPages();

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: 'Riverside Township Clinic', tier: 'primary' });
    siteId = site.body.id;
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  async function clinicianIn(language: string | null) {
    const user = await t.createUser('clinician', { siteId, name: 'Nurse Chen' });
    if (language) {
      const res = await t.http.patch('/api/v1/me').set('authorization', `Bearer ${user.token}`).send({ language });
      expect(res.body.language).toBe(language);
    }
    const page = await opened.open(browser, baseUrl, PHONE);
    // Which languages' messages the browser fetched: English is in the app's script, the others come when read.
    const fetchedLanguages: string[] = [];
    page.on('request', (request) => {
      const language = /\/assets\/(zh-CN|es|fr)\.[A-Z0-9]{8}\.js$/.exec(request.url())?.[1];
      if (language) fetchedLanguages.push(language);
    });
    await signIn(page, user.email, user.password);
    return { user, page, fetchedLanguages };
  }

  /** The words a person reads as the names of the new-case form's fields. */
  function formLabels(page: Page): Promise<string[]> {
    return page.locator('#new-case-form').evaluate((form) => [...form.querySelectorAll('label, legend')].map((el) => (el.textContent ?? '').trim()).filter(Boolean));
  }

  it('shows a clinician whose account is in Chinese the app in Chinese, and files their case', async () => {
    const { page, fetchedLanguages } = await clinicianIn('zh-CN');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(fetchedLanguages).toEqual(['zh-CN']);
    expect(await page.locator('#nav').innerText()).toMatch(CJK);
    expect(await page.locator('#sign-out').innerText()).toBe('退出登录');

    await page.locator('#new-case').click();
    await page.locator('#new-case-form').waitFor();
    await page.locator('input[type=file][name=photos]').setInputFiles([fixturePath('orient-1.jpg')]);
    await poll(() => page.locator('.preview').count()).toBe(1);
    const labels = await formLabels(page);
    expect(labels.length).toBeGreaterThan(10);
    // Fitzpatrick is a name, written in Latin letters by Chinese dermatologists too.
    expect(labels.filter((label) => /[A-Za-z]{2,}/.test(label.replace('Fitzpatrick', '')))).toEqual([]);
    expect(labels.every((label) => CJK.test(label))).toBe(true);

    await page.locator('input[name=patientRef]').fill('RTC-2024-0217');
    await page.locator('input[name=ageYears]').fill('6');
    await page.locator('select[name=sex]').selectOption('male');
    await page.locator('input[name=bodySite]').fill('左前臂');
    await page.locator('textarea[name=question]').fill('湿疹还是疥疮？');
    await page.locator('input[name=consentTeleconsultation]').check();
    const shot = await screenshot(page, 'new-case-zh-CN');
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      fs.mkdirSync(DOCS_DIR, { recursive: true });
      fs.copyFileSync(shot, path.join(DOCS_DIR, 'new-case-zh-CN.png'));
    }

    await page.locator('#send-case').click();
    await page.waitForURL(/#\/cases\/(?!new$)[^/]+$/);
    await page.locator('#nav a[href="#/cases"]').click();
    const row = page.locator('#case-list .case-row', { hasText: 'RTC-2024-0217' });
    await row.waitFor();
    // What the clinician typed is shown as typed; the words around it are Chinese.
    expect(await row.innerText()).toContain('左前臂');
    expect(await row.locator('.case-time').innerText()).toMatch(/^更新于/);
  });

  it('switches the account page to French at once, keeps it for the next sign-in, and fits a phone', async () => {
    const { user, page, fetchedLanguages } = await clinicianIn(null);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(fetchedLanguages).toEqual([]);
    await page.locator('a.who').click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await page.getByLabel('Language of this app').selectOption('fr');

    await page.getByRole('heading', { name: 'Votre compte', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(fetchedLanguages).toEqual(['fr']);
    expect(await page.locator('#sign-out').innerText()).toBe('Se déconnecter');
    expect(await page.getByLabel('Langue de l’application').inputValue()).toBe('fr');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${user.token}`);
    expect(me.body.language).toBe('fr');
  });
});
