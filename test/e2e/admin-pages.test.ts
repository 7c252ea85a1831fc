// The web app in a real browser: signing in and out, and the admin's pages (users, sites, queues, statistics,
// audit), on a desktop and on a phone.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';
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
    await row.locator('details.queue-edit summary').click();
    await row.getByLabel('General').check();
    await row.getByRole('button', { name: 'Save queues' }).click();
    await page.getByText('Queues of Dr Li Wei saved.').waitFor();

    // Disabling asks first: declined, nothing changes.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator(`tr[data-user-id="${li.id}"]`).getByRole('button', { name: 'Disable Dr Li Wei' }).click();
    await page.locator(`tr[data-user-id="${li.id}"]`).getByText('Active').waitFor();
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.locator(`tr[data-user-id="${li.id}"]`).getByRole('button', { name: 'Disable Dr Li Wei' }).click();
    await page.getByText('Dr Li Wei is disabled.').waitFor();
    expect(asked).toMatch(/signed out at once/);

    // Name and email changed in place; a one-time reset link to hand over.
    const edited = page.locator(`tr[data-user-id="${li.id}"]`);
    await edited.locator('details.user-edit-details summary').click();
    await edited.getByLabel('Name').fill('Dr Li Wei-Chen');
    await edited.getByLabel('Email').fill('li.weichen@clinic.test');
    await edited.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Dr Li Wei-Chen is saved.').waitFor();
    const again = page.locator(`tr[data-user-id="${li.id}"]`);
    await again.locator('details.user-edit-details summary').click();
    await again.getByRole('button', { name: 'Make a password-reset link' }).click();
    await poll(() => again.getByLabel('Password-reset link for Dr Li Wei-Chen').inputValue()).toMatch(/\/reset\?token=[A-Za-z0-9_-]{20,}$/);
    await screenshot(page, 'admin-users-desktop');
    expect(await unlabelledControls(page)).toEqual([]);
    const after = (await t.http.get('/api/v1/users').set('authorization', `Bearer ${await t.adminToken()}`)).body as typeof users;
    const liAfter = after.find((u) => u.id === li.id)!;
    expect(liAfter).toMatchObject({ disabled: true, name: 'Dr Li Wei-Chen', email: 'li.weichen@clinic.test' });
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

  it("sets a queue's deadline for urgent cases, says why a wrong one is refused, and puts the defaults back", async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Queues' }).click();
    const card = page.locator('#queue-deadlines-form');
    const row = page.locator('#queues-table tr[data-queue="general"]');
    const deadlines = async () => ((await t.http.get('/api/v1/queues').set('authorization', `Bearer ${await t.adminToken()}`)).body as { slug: string; deadlineHours: Record<string, number> }[]).find((q) => q.slug === 'general')!.deadlineHours;
    await card.getByLabel('Queue', { exact: true }).selectOption('general');
    expect(await card.getByLabel('Urgent').inputValue()).toBe('4');

    await card.getByLabel('Urgent').fill('0');
    await card.getByRole('button', { name: 'Save deadlines' }).click();
    await poll(() => card.getByRole('alert').textContent()).toContain('Enter the hours for urgent cases as a number from 0.5 to 8760');
    expect(await card.getByLabel('Urgent').getAttribute('aria-invalid')).toBe('true');

    await card.getByLabel('Urgent').fill('2');
    await card.getByRole('button', { name: 'Save deadlines' }).click();
    await page.getByText('Deadlines of General dermatology saved: Urgent 2 h · Soon 24 h · Routine 3 days.').waitFor();
    expect(await row.locator('td.queue-deadlines').textContent()).toBe('Urgent 2 h · Soon 24 h · Routine 3 days');
    expect(await deadlines()).toEqual({ urgent: 2, soon: 24, routine: 72 });
    // The card still shows the queue just saved.
    expect(await card.getByLabel('Queue', { exact: true }).inputValue()).toBe('general');
    await screenshot(page, 'admin-queue-deadlines-phone');
    expect(await unlabelledControls(page)).toEqual([]);

    await card.getByRole('button', { name: 'Back to the defaults' }).click();
    await page.getByText('General dermatology is back to the default deadlines').waitFor();
    expect(await row.locator('td.queue-deadlines').textContent()).toBe('Urgent 4 h · Soon 24 h · Routine 3 days');
    expect(await card.getByLabel('Urgent').inputValue()).toBe('4');
    expect(await deadlines()).toEqual({ urgent: 4, soon: 24, routine: 72 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches the audit trail by person and action, naming people, and exports the same selection as CSV', async () => {
    const clinician = await t.createUser('clinician', { name: 'Nurse Audit' });
    const { page, problems, context } = await openPage(browser, baseUrl, DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.locator('#audit-table').waitFor();
    const everyone = await page.locator('#audit-table tbody tr').count();
    const who = () => page.locator('#audit-table tbody tr td:nth-child(2)').allTextContents();

    // Any case, part of the name: only that person's events remain.
    await page.getByLabel('Person').fill('nurse AUD');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(async () => (await who()).every((text) => text.includes('Nurse Audit'))).toBe(true);
    const hers = await page.locator('#audit-table tbody tr').count();
    expect(hers).toBeGreaterThan(0);
    expect(hers).toBeLessThan(everyone);
    expect(await who()).toContain(`Nurse Audit${clinician.email}`);

    await page.getByLabel('Action').fill('auth.login');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(async () => [...new Set(await page.locator('#audit-table tbody tr td:nth-child(3)').allTextContents())]).toEqual(['auth.login']);
    const shown = await page.locator('#audit-table tbody tr').count();
    await screenshot(page, 'admin-audit-desktop');

    // Nothing today after tomorrow: an empty result.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From').fill(tomorrow);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No events match.').waitFor();
    await page.getByLabel('From').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-table').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,actorType,actorName,actorEmail,action,targetType,targetId,caseRef,caseId,ip,requestId,detail,id');
    expect(lines).toHaveLength(shown + 1);
    expect(lines.slice(1).every((line) => line.includes(',Nurse Audit,') && line.includes(',auth.login,'))).toBe(true);
    await page.getByText(/audit-.*\.csv downloaded\./).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows statistics by queue name, numbers formatted, with weekly charts that fit a desktop screen', async () => {
    const clinician = await t.createUser('clinician');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postCase(t, clinician.token, ['orient-1.jpg'], { queue: 'pigmented-lesions' });
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    // One case answered in 90 minutes, one from three weeks ago answered in a day: two weeks with a median.
    const now = Date.now();
    await t.sql.run("update cases set status = 'answered', answered_at = created_at + ? where id = ?", 90 * 60_000, ids[0]);
    await t.sql.run("update cases set status = 'answered', created_at = ?, answered_at = ? where id = ?", now - 21 * 86_400_000, now - 20 * 86_400_000, ids[1]);

    const { page, problems, context } = await openPage(browser, baseUrl, DESKTOP);
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Statistics' }).click();
    const table = page.locator('#stats-table');
    await table.waitFor();
    const row = table.locator('tr[data-queue="pigmented-lesions"]');
    expect(await row.locator('th').textContent()).toBe('Pigmented lesions and melanoma');
    expect(await table.textContent()).not.toContain('pigmented-lesions');
    expect(await row.locator('td').first().textContent()).toBe('3');

    // The table fits without scrolling sideways.
    const fits = await page.locator('.stats-table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);

    const section = page.locator('section.stats-queue[data-queue="pigmented-lesions"]');
    await section.getByRole('heading', { name: 'Pigmented lesions and melanoma' }).waitFor();
    const charts = section.locator('svg.chart');
    expect(await charts.count()).toBe(2);
    expect(await section.getByRole('img', { name: 'Cases and answers per week, Pigmented lesions and melanoma' }).count()).toBe(1);
    expect(await section.getByRole('img', { name: 'Median time to answer per week, Pigmented lesions and melanoma' }).count()).toBe(1);
    expect(await charts.first().locator('rect.chart-bar').count()).toBeGreaterThan(0);
    expect(await charts.nth(1).locator('circle.chart-point').count()).toBe(2);
    expect(await charts.first().locator('desc').textContent()).toContain('3 cases, 2 answered');
    await screenshot(page, 'admin-stats-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows an admin who reads French the statistics in French, numbers the French way, and the Queues page without sideways scrolling at 390 px', async () => {
    const admin = await t.createUser('admin');
    expect((await t.http.patch('/api/v1/me').set('authorization', `Bearer ${admin.token}`).send({ language: 'fr' })).status).toBe(200);
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, admin.email, admin.password);
    // Signing in applies the profile's language.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.goto('/#/admin/stats');
    await page.getByRole('heading', { name: 'Statistiques', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Semaine par semaine', level: 2 }).waitFor();
    const table = page.locator('#stats-table');
    expect(await table.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['File', 'Dossiers', 'Répondus', 'médiane']));
    // The period's end (tomorrow, 00:00) as French writes a date.
    const end = new Date();
    end.setHours(24, 0, 0, 0);
    expect(await table.locator('caption').textContent()).toContain(new Intl.DateTimeFormat('fr', { year: 'numeric', month: 'short', day: 'numeric' }).format(end));

    await page.goto('/#/admin/audit');
    await page.getByRole('heading', { name: 'Journal d’audit', level: 1 }).waitFor();
    expect(await page.locator('#audit-form .hint').last().textContent()).toContain('jusqu’à 50\u202f000');

    await page.goto('/#/admin/queues');
    await page.locator('#queues-table').waitFor();
    await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-queues-fr-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps every admin menu link visible and reachable on a 390 px phone, with no sideways scrolling', async () => {
    const { page, problems, context } = await openPage(browser, baseUrl, PHONE);
    await signIn(page, ADMIN.email, ADMIN.password);
    const names = ['Users', 'Sites', 'Queues', 'Statistics', 'Audit', 'Cases'];
    for (const name of names) {
      const link = page.locator('#nav').getByRole('link', { name, exact: true });
      expect(await link.isVisible(), name).toBe(true);
      const box = (await link.boundingBox())!;
      expect(box.x, name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, name).toBeLessThanOrEqual(PHONE.width);
      expect(box.height, name).toBeGreaterThanOrEqual(44);
    }
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && (document.getElementById('nav')?.scrollWidth ?? 0) <= (document.getElementById('nav')?.clientWidth ?? 0));
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'admin-menu-phone');

    await page.locator('#nav').getByRole('link', { name: 'Statistics' }).click();
    await page.locator('#stats-table').waitFor();
    await page.locator('svg.chart').first().waitFor();
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'admin-stats-phone');

    await page.locator('#nav').getByRole('link', { name: 'Audit' }).click();
    await page.locator('#audit-table').waitFor();
    expect(await noSideways()).toBe(true);
    await screenshot(page, 'admin-audit-phone');
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
