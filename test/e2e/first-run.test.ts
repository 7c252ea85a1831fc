// A newcomer's first minute, in a real browser against the real entry point: an empty DATA_DIR and no
// admin variables, so the log prints a one-time set-up address; the admin is created on that page, signs
// in, stays signed in in a second tab, and after signing in again lands on the page a link asked for.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, poll, screenshot } from '../helpers/browser.js';
import { startServer, tempDataDir, type ServerProcess } from '../faults/support.js';

const NEW_ADMIN = { name: 'Dr Ada Newcomer', email: 'ada@hill-clinic.test', password: 'a first admin passphrase' };

describe.skipIf(!hasChromium)('first run in a browser', { timeout: 120_000 }, () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = tempDataDir();
    // As `npm start` on a fresh machine: no ADMIN_EMAIL, no ADMIN_PASSWORD.
    server = await startServer(dataDir, { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the admin from the address in the log, keeps them signed in across tabs, and follows a deep link', async () => {
    await server.waitForOutput(/No admin account exists yet/);
    const line = server.output().split('\n').find((l) => l.includes('No admin account exists yet'))!;
    // Plain words even in a JSON log line, with the address to open.
    const message = (JSON.parse(line) as { msg: string }).msg;
    expect(message).toMatch(/^No admin account exists yet\. To create the first one, open http:\/\/127\.0\.0\.1:\d+\/setup\?token=\S+ in a browser/);
    const address = new URL(/(http:\/\/\S+\/setup\?token=\S+)/.exec(message)![1]!);
    address.port = String(server.port);

    const { context, page, problems } = await openPage(browser, server.baseUrl, { width: 1280, height: 900 });
    await page.goto(address.toString());
    await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
    await page.getByLabel('Your name').fill(NEW_ADMIN.name);
    await page.getByLabel('Email').fill(NEW_ADMIN.email);
    // A weak password: the rule comes back in plain words, nothing is created.
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByLabel('The same password again').fill('password1234');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await poll(() => page.getByRole('alert').textContent()).toMatch(/common|guess/i);
    await screenshot(page, 'first-run-setup-weak-password');
    await page.getByLabel('Password', { exact: true }).fill(NEW_ADMIN.password);
    await page.getByLabel('The same password again').fill(NEW_ADMIN.password);
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByRole('status').getByText('The admin account is ready').waitFor();
    await screenshot(page, 'first-run-setup-done');

    // The address is spent.
    expect((await fetch(address.toString().replace(`:${address.port}`, `:${server.port}`))).status).toBe(404);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(NEW_ADMIN.email);
    await page.getByLabel('Password').fill(NEW_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await screenshot(page, 'first-run-signed-in');

    // A second tab of the same browser is signed in too, and a reload keeps it so.
    const second = await context.newPage();
    await second.goto('/#/admin/sites');
    await second.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();
    await second.reload();
    await second.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();

    // Signing out in one tab signs out the other.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/login$/);
    await second.waitForURL(/#\/login$/);

    // A deep link while signed out: sign in, and the app goes where the link pointed.
    await second.goto('/#/admin/queues');
    await second.waitForURL(/#\/login$/);
    await second.getByLabel('Email').fill(NEW_ADMIN.email);
    await second.getByLabel('Password').fill(NEW_ADMIN.password);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.waitForURL(/#\/admin\/queues$/);
    // The hash changes before the page under it is drawn: wait for the queues page itself before using its header.
    await second.getByRole('heading', { name: 'Queues', level: 1 }).waitFor();
    await screenshot(second, 'first-run-deep-link-after-sign-in');

    // Their own account, from their name in the header: a new password, the current one checked.
    await second.getByRole('link', { name: /Dr Ada Newcomer/ }).click();
    await second.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await second.getByLabel('Current password').fill(NEW_ADMIN.password);
    await second.getByLabel('New password', { exact: true }).fill('an even longer admin passphrase');
    await second.getByLabel('New password again').fill('an even longer admin passphrase');
    await second.getByRole('button', { name: 'Change my password' }).click();
    await poll(() => second.getByRole('status').last().textContent()).toContain('Your password is changed');
    await screenshot(second, 'first-run-account-password-changed');
    expect(problems).toEqual([]);
    await context.close();
  });
});
