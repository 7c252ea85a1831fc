// The web app in a real browser: signing in and out, and the admin's pages (users, sites, queues, audit).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, openPage, PHONE, poll, screenshot, signIn, unlabelledControls } from '../helpers/browser.js';

describe.skipIf(!hasChromium)('web app: sign-in and admin pages', { timeout: 120_000 }, () => {
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

  it('serves the app with a strict Content-Security-Policy and no inline script', async () => {
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle=/);
  });

  it('refuses a wrong password with a clear message, then signs in and out', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await page.goto('/');
    await page.waitForURL(/#\/login$/);
    await screenshot(page, 'sign-in-phone');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('Email or password is not correct');

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/#\/admin\/users$/);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    const token = await page.evaluate(() => localStorage.getItem('derm.token'));
    expect(token).toBeTruthy();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/login$/);
    expect(await page.evaluate(() => localStorage.getItem('derm.token'))).toBeNull();
    // The token was revoked on the server, not just forgotten by the page.
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an admin add a site, a reviewer with queues, change queues and disable a user', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);

    await page.getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Name').fill('Hilltop Township Clinic');
    await page.getByLabel('Hospital tier').selectOption('primary');
    await page.getByRole('button', { name: 'Add site' }).click();
    await page.locator('#sites-table').getByText('Hilltop Township Clinic').waitFor();
    await screenshot(page, 'admin-sites-desktop');

    await page.getByRole('link', { name: 'Users' }).click();
    const form = page.locator('#create-user-form');
    await form.getByLabel('Email').fill('dr.li@hospital.test');
    await form.getByLabel('Name').fill('Dr Li Wei');
    await form.getByLabel('Role').selectOption('reviewer');
    await form.getByLabel('Site').selectOption({ label: 'Hilltop Township Clinic' });
    await form.getByLabel('First password').fill('a long enough passphrase');
    await form.getByLabel('Pigmented lesions', { exact: false }).check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Dr Li Wei can now sign in.').waitFor();

    const users = (await t.http.get('/api/v1/users').set('authorization', `Bearer ${await t.adminToken()}`)).body as { id: string; email: string; queues: string[]; disabled: boolean; siteId: string | null }[];
    const li = users.find((u) => u.email === 'dr.li@hospital.test')!;
    expect(li.queues).toEqual(['pigmented-lesions']);
    expect(li.siteId).toBeTruthy();

    // Add a queue through the row's queue editor.
    const row = page.locator(`tr[data-user-id="${li.id}"]`);
    await row.locator('summary').click();
    await row.getByLabel('General').check();
    await row.getByRole('button', { name: 'Save queues' }).click();
    await page.getByText('Queues of Dr Li Wei saved.').waitFor();

    await page.locator(`tr[data-user-id="${li.id}"]`).getByRole('button', { name: 'Disable Dr Li Wei' }).click();
    await page.getByText('Dr Li Wei is disabled.').waitFor();
    await screenshot(page, 'admin-users-desktop');
    expect(await unlabelledControls(page)).toEqual([]);
    const after = (await t.http.get('/api/v1/users').set('authorization', `Bearer ${await t.adminToken()}`)).body as typeof users;
    const liAfter = after.find((u) => u.id === li.id)!;
    expect(liAfter.disabled).toBe(true);
    expect([...liAfter.queues].sort()).toEqual(['general', 'pigmented-lesions']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the queues and lets an admin add one', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Queues' }).click();
    await page.locator('#queues-table').getByText('wounds-postop').waitFor();
    await page.getByLabel('Short name for links').fill('hair-nails');
    await page.getByLabel('Name', { exact: true }).fill('Hair and nails');
    await page.getByLabel('Opinions needed (quorum)').fill('3');
    await page.getByRole('button', { name: 'Add queue' }).click();
    await page.locator('#queues-table').getByText('hair-nails').waitFor();
    await screenshot(page, 'admin-queues-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches the audit trail by user', async () => {
    const clinician = await t.createUser('clinician', { name: 'Nurse Audit' });
    const { page, problems, context } = await openPage(browser, baseUrl, DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.locator('#audit-table').waitFor();
    await page.getByLabel('User id').fill(clinician.id);
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(async () => page.locator('#audit-table tbody tr').count()).toBeGreaterThan(0);
    const actions = await page.locator('#audit-table tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toContain('auth.login');
    expect(await page.locator('#audit-table tbody tr td:nth-child(2)').first().textContent()).toContain('Nurse Audit');
    await screenshot(page, 'admin-audit-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a signed-in clinician away from admin pages', async () => {
    const clinician = await t.createUser('clinician');
    const { page, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, clinician.email, `password-${clinician.email.match(/^clinician(\d+)-/)![1]}-long-enough`);
    await page.goto('/#/admin/users');
    await page.waitForURL(/#\/cases$/);
    await context.close();
  });
});
