// What the server refuses lands where a person would look: beside the field its message names (form.js), with
// the summary at the top of the form taking the focus; a refusal naming no field is said in the summary alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, openPage, screenshot, signIn } from '../helpers/browser.js';

describe.skipIf(!hasChromium)('web app: the server\'s refusals beside their fields', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('puts a 400 that names the email beside the email field, and a taken email too', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto('/#/admin/users');
    const form = page.locator('#create-user-form');
    await form.getByLabel('Email').fill('nurse at the clinic');
    await form.getByLabel('Name').fill('Nurse Jo Byrne');
    await form.getByLabel('First password').fill('a long first password');
    await form.getByRole('button', { name: 'Create user' }).click();

    const summary = form.locator('.error-summary');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await summary.getAttribute('data-code')).toBe('VALIDATION_ERROR');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    const email = form.getByLabel('Email');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const besideEmail = await email.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent);
    expect(besideEmail).toBe('Error: Email must be an email address, like name@example.org');
    expect(await summary.locator('li').allTextContents()).toEqual(['Email must be an email address, like name@example.org']);
    await screenshot(page, 'admin-user-server-error-desktop');

    // An email someone already has: said beside the field as well; the earlier problem is gone.
    await email.fill(ADMIN.email);
    await form.getByRole('button', { name: 'Create user' }).click();
    await summary.locator('li').getByText('A user with this email already exists').waitFor();
    expect(await summary.getAttribute('data-code')).toBe('EMAIL_TAKEN');
    expect(await form.locator('.field-error:not([hidden])').allTextContents()).toEqual(['Error: A user with this email already exists']);

    // Put right: created, and no problem left on the page.
    await email.fill('jo.byrne@clinic.test');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Nurse Jo Byrne can now sign in.').waitFor();
    expect(await page.locator('.error-summary:not([hidden])').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
