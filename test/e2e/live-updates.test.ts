// Live updates in a real browser: the open case page follows what a reviewer does elsewhere (status, question)
// without a reload and without losing what the clinician was typing or the photo's zoom, and stays put (saying
// why) when an unsent opinion would have no place on it any more; the reviewer's queue page
// counts a new case at once and lists overdue cases first, marked; the account page saves an email choice; the
// admin adds a webhook, reads its delivery log and deletes it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { hasChromium, launchBrowser, OpenedPages, poll, screenshot, signIn } from '../helpers/browser.js';
import { auth, reviewKit } from '../helpers/review-kit.js';

const HOUR = 60 * 60 * 1000;

type User = Awaited<ReturnType<TestApp['createUser']>>;

describe.skipIf(!hasChromium)('web app: live updates', { timeout: 60_000 }, () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let browser: Browser;
  let baseUrl: string;
  let queue: string;
  let clinician: User;
  let reviewer: User;
  const opened = new OpenedPages();

  async function open(): Promise<Page> {
    return opened.open(browser, baseUrl);
  }

  /** Waits until the page's live connection is open: from then on, no event is missed. */
  async function live(page: Page) {
    await page.locator('body[data-live=open]').waitFor();
  }

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    queue = await kit.queue(1);
    clinician = await t.createUser('clinician', { name: 'Nurse Wanjiru' });
    reviewer = await t.createUser('reviewer', { queues: [queue], name: 'Dr Okafor' });
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  it("shows a reviewer's question and the new status on the clinician's open case, keeping the zoom and what they typed", async () => {
    const created = await kit.openCase(clinician.token, { queue, patientRef: 'LV-0001', bodySite: 'Left forearm' });
    const page = await open();
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${created.id}`);
    await page.locator(`#case-page[data-case-id="${created.id}"][data-status=queued]`).waitFor();
    await live(page);
    // Anything a reload would lose: a mark on the window, the photo zoomed in, a reply being written.
    await page.evaluate(() => Object.assign(window, { beforeUpdates: true }));
    const viewer = page.locator('#main-viewer');
    await viewer.locator('.viewer-viewport[data-loaded=true]').waitFor();
    await viewer.locator('.zoom-in').click();
    const zoomed = await viewer.getAttribute('data-scale');
    expect(await viewer.getAttribute('data-zoomed')).toBe('true');
    const reply = page.getByLabel('Your reply or comment');
    await reply.fill('Started before the question came');

    expect((await kit.claim(reviewer.token, queue)).status).toBe(200);
    await page.locator('#case-page[data-status=in_review]').waitFor();
    expect(await page.locator('.page-head [data-status]').textContent()).toBe('In review');
    expect(await page.locator('.status-help').textContent()).toBe('A specialist is looking at your case.');

    expect((await kit.message(reviewer.token, created.id, 'Does it itch at night? Please add a close-up.', true)).status).toBe(201);
    await page.locator('#case-page[data-status=needs_info]').waitFor();
    expect(await page.locator('.page-head [data-status]').textContent()).toBe('More information needed');
    const discussion = page.locator('#discussion');
    await discussion.getByRole('heading', { name: 'A question for you from a specialist' }).waitFor();
    expect(await discussion.locator('.asked-question blockquote').textContent()).toBe('Does it itch at night? Please add a close-up.');
    expect(await discussion.locator('.asked-question figcaption').textContent()).toMatch(/^Dr Okafor \(specialist\) · /);

    // Drawn in place: the same window, the words typed still there with the focus, the photo still zoomed.
    expect(await page.evaluate(() => (window as unknown as { beforeUpdates?: boolean }).beforeUpdates)).toBe(true);
    expect(await reply.inputValue()).toBe('Started before the question came');
    expect(await reply.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await viewer.getAttribute('data-scale')).toBe(zoomed);
    await screenshot(page, 'live-case-question-phone');

    // The reply the clinician had started goes with the question's answer.
    await reply.fill('Yes, at night. Close-up to follow.');
    await discussion.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Message sent.').waitFor();
    await page.locator('#case-page[data-status=queued]').waitFor();
    expect((await kit.read(clinician.token, created.id)).body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Does it itch at night? Please add a close-up.',
      'Yes, at night. Close-up to follow.',
    ]);
  });

  it("keeps a reviewer's unsent opinion when the case stops taking opinions, says the case has changed, and shows it when asked", async () => {
    const panel = await kit.queue(2);
    const [writer, asker] = await kit.reviewers(2, [panel]);
    const created = await kit.openCase(clinician.token, { queue: panel, patientRef: 'LV-0005', bodySite: 'Neck' });
    expect((await kit.claim(writer!.token, panel)).status).toBe(200);
    const page = await open();
    await signIn(page, writer!.email, writer!.password);
    await page.goto(`/#/cases/${created.id}`);
    await page.locator('#case-page[data-layout=workspace]').waitFor();
    await live(page);
    const diagnosis = page.locator('#opinion-form').getByLabel('Diagnosis', { exact: true });
    await diagnosis.fill('Seborrhoeic keratosis');

    // Another specialist asks the referrer a question: no opinion is taken until the answer, so the form would go.
    expect((await kit.claim(asker!.token, panel)).status).toBe(200);
    expect((await kit.message(asker!.token, created.id, 'How long has it been raised?', true)).status).toBe(201);
    const changed = page.locator('#case-changed');
    await changed.waitFor();
    expect(await changed.locator('p').textContent()).toMatch(/^This case has changed: it is now “More information needed”\. /);
    expect(await diagnosis.inputValue()).toBe('Seborrhoeic keratosis');
    expect(await page.locator('#case-page').getAttribute('data-status')).toBe('in_review');

    await changed.getByRole('button', { name: 'Show the changes' }).click();
    await page.locator('#case-page[data-status=needs_info]').waitFor();
    expect(await page.locator('#opinion-form').count()).toBe(0);
    expect(await page.locator('#opinions').getByText('Waiting for the referrer before more opinions.').count()).toBe(1);
    expect(await page.locator('#case-changed').count()).toBe(0);
  });

  it("counts a new case on the reviewer's queue page at once, and lists an overdue case first, marked with its due time", async () => {
    const page = await open();
    await signIn(page, reviewer.email, reviewer.password);
    const card = page.locator(`.queue-card[data-queue="${queue}"]`);
    await card.waitFor();
    await live(page);
    const open0 = Number(await card.locator('.queue-open').textContent());

    const urgent = await kit.openCase(clinician.token, { queue, patientRef: 'LV-0002', bodySite: 'Scalp', urgency: 'urgent' });
    await poll(() => card.locator('.queue-open').textContent()).toBe(String(open0 + 1));
    const urgentRow = card.locator(`.case-row[data-case-id="${urgent.id}"]`);
    await urgentRow.waitFor();
    expect(await urgentRow.locator('.due').textContent()).toMatch(/^Due /);
    expect(await card.locator('.queue-overdue').count()).toBe(0);

    // Five hours on, the urgent case (a 4-hour target) is overdue; a routine case sent now lists after it.
    t.clock.advance(5 * HOUR);
    const routine = await kit.openCase(clinician.token, { queue, patientRef: 'LV-0003', bodySite: 'Back', urgency: 'routine' });
    await poll(() => card.locator('.queue-open').textContent()).toBe(String(open0 + 2));
    await card.locator(`.case-row[data-case-id="${routine.id}"]`).waitFor();
    await poll(() => card.locator('.queue-overdue').textContent()).toBe('1 overdue');
    const rows = await card.locator('.queue-cases .case-row').evaluateAll((items) =>
      items.map((li) => [(li as HTMLElement).dataset.caseId, li.querySelector('.due')?.textContent?.replace(/ was due .*/, ' was due …') ?? null]),
    );
    expect(rows[0]).toEqual([urgent.id, 'Overdue was due …']);
    expect(rows.map(([id]) => id)).toContain(routine.id);
    expect(rows.slice(1).every(([, due]) => due?.startsWith('Due '))).toBe(true);
    // The due time is the case's own: created plus the 4-hour target.
    const due = await urgentRow.locator('.due').getAttribute('data-due-at');
    expect(Date.parse(due!) - Date.parse(urgent.createdAt)).toBe(4 * HOUR);
    await screenshot(page, 'live-queue-overdue-phone');
  });

  it('saves an email choice on the account page, as GET /api/v1/me then says', async () => {
    const page = await open();
    await signIn(page, clinician.email, clinician.password);
    await page.goto('/#/account');
    const form = page.locator('#email-form');
    await form.waitFor();
    // A clinician is offered the choices that concern a referrer, and the digest.
    expect(await form.locator('label').allTextContents()).toEqual([
      'The specialists have answered my case',
      'A specialist asks me for more information',
      'Follow-up photos from a patient arrive on my case',
      'Send me one daily digest instead',
    ]);
    const followUp = form.getByLabel('Follow-up photos from a patient arrive on my case');
    expect(await followUp.isChecked()).toBe(true);
    await followUp.uncheck();
    await form.getByLabel('Send me one daily digest instead').check();
    await form.getByRole('button', { name: 'Save email choices' }).click();
    await form.getByText('Your email choices are saved.').waitFor();
    await screenshot(page, 'live-account-email-phone');

    const me = await t.http.get('/api/v1/me').set(auth(clinician.token));
    expect(me.body.notifications.email).toMatchObject({ answered: true, needsInfo: true, followUp: false, digest: true });
    await page.reload();
    await form.waitFor();
    expect(await form.getByLabel('Follow-up photos from a patient arrive on my case').isChecked()).toBe(false);
    expect(await form.getByLabel('Send me one daily digest instead').isChecked()).toBe(true);
  });

  it("adds a webhook on the admin page, shows that an event reached it in its delivery log, and deletes it", async () => {
    const received: string[] = [];
    const receiver = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(String(request.headers['x-webhook-signature'] ?? ''));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/consult-events`;
    try {
      const page = await open();
      await signIn(page, ADMIN.email, ADMIN.password);
      await page.locator('#nav').getByRole('link', { name: 'Webhooks', exact: true }).click();
      const form = page.locator('#create-webhook-form');
      await form.getByLabel('Address (URL)').fill(hookUrl);
      for (const name of ['A case changes status or is answered', 'A message is written on a case', 'Photos are added to a case', 'A case passes its deadline']) {
        await form.getByLabel(name).uncheck();
      }
      await form.getByRole('button', { name: 'Make a secret' }).click();
      expect(await form.getByLabel('Secret').inputValue()).toMatch(/^[0-9a-f]{64}$/);
      await form.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByText('Webhook added. Events are sent to it from now on.').waitFor();
      const row = page.locator('#webhooks-table tbody tr');
      expect(await row.locator('.webhook-url').textContent()).toBe(hookUrl);
      expect(await row.locator('li').allTextContents()).toEqual(['A case is sent']);
      const listed = await t.http.get('/api/v1/webhooks').set(auth(await t.adminToken()));
      expect(listed.body.items).toMatchObject([{ url: hookUrl, events: ['case.created'] }]);
      const hookId = listed.body.items[0].id as string;

      await kit.openCase(clinician.token, { queue, patientRef: 'LV-0004' });
      const deliveryStatuses = async () => {
        const res = await t.http.get(`/api/v1/webhooks/${hookId}/deliveries`).set(auth(await t.adminToken()));
        return (res.body.items as { status: string }[]).map((d) => d.status);
      };
      await poll(deliveryStatuses).toEqual(['delivered']);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^sha256=[0-9a-f]{64}$/);
      await row.getByRole('button', { name: 'Delivery log' }).click();
      const delivery = page.locator('#deliveries-table tbody tr');
      await delivery.waitFor();
      expect(await delivery.getAttribute('data-status')).toBe('delivered');
      const cells = await delivery.locator('td').allTextContents();
      expect(cells[0]).toMatch(/^A case is sentcase\.created · event \d+$/);
      expect(cells.slice(1, 3)).toEqual(['Delivered', '1']);
      expect(cells[3]).toMatch(/^HTTP 204 in \d+ ms$/);
      await screenshot(page, 'live-admin-webhook-log-phone');

      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Webhook deleted: nothing more is sent to it.').waitFor();
      expect(await page.locator('#webhooks-table').count()).toBe(0);
      expect((await t.http.get('/api/v1/webhooks').set(auth(await t.adminToken()))).body.items).toEqual([]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
