// Headless Chromium for the end-to-end tests: the Debian package driven by playwright-core, with a fresh
// profile per launch, plus helpers to sign in, take screenshots, and catch script errors and CSP refusals.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM_PATH);
export const SCREENSHOT_DIR = path.resolve(process.cwd(), 'test-results/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors, console errors (which include CSP refusals) and failed same-origin requests. */
  problems: string[];
}

/** A new browser context (its own storage: a fresh profile) and page at `baseUrl`, collecting any problem it shows. */
export async function openPage(browser: Browser, baseUrl: string, viewport = PHONE, { hasTouch = viewport.width < 600 } = {}): Promise<TestPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, hasTouch, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Failed API calls the test provokes on purpose (415 uploads, 401 bad password) are logged by Chromium as
    // "Failed to load resource"; those are asserted by the tests themselves, not treated as problems.
    if (/Failed to load resource: the server responded with a status of (4\d\d)/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  page.on('requestfailed', (request) => {
    // The live event stream never ends by itself: a reload or leaving the page cuts it.
    if (request.url().startsWith(`${baseUrl}/api/v1/events`) && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (request.url().startsWith(baseUrl)) problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.setDefaultTimeout(15_000);
  return { context, page, problems };
}

/**
 * The pages a test file opens, kept so that its end can check that none showed a script error, a CSP refusal
 * or a failed request; `ignore` sets aside problems the file provokes on purpose.
 */
export class OpenedPages {
  private readonly pages: TestPage[] = [];

  async open(browser: Browser, baseUrl: string, viewport = PHONE): Promise<Page> {
    const opened = await openPage(browser, baseUrl, viewport);
    this.pages.push(opened);
    return opened.page;
  }

  expectNoProblems(ignore?: RegExp): void {
    for (const { problems } of this.pages) {
      expect(problems.filter((problem) => !ignore?.test(problem)), 'script errors or CSP refusals in the browser').toEqual([]);
    }
  }
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login') && document.querySelector('#nav .nav-links') !== null);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** expect.poll with a timeout fit for a browser on a busy machine (vitest's default is one second). */
export function poll<T>(fn: () => Promise<T> | T, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

/** Form controls on the page that no <label> (or aria-label) names: each should be empty. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => (el as HTMLInputElement).type !== 'hidden')
      .filter((el) => !((el as HTMLInputElement).labels?.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}
