// The case page in a real browser, for what issue 15 asked of it: the answer with the dissent apart and its
// disposition, the printable report, the referrer's one reply (text and photos together, the case back in
// the queue once), a patient's note shown as the patient's, the follow-up links with their status, revoking
// one, a new one's QR code, and the history saying who acted, day by day.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import qrcode from 'qrcode-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn, unlabelledControls } from '../helpers/browser.js';
import { fixturePath } from '../helpers/cases.js';
import { auth, ECZEMA, PSORIASIS, reviewKit } from '../helpers/review-kit.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface User {
  id: string;
  email: string;
  password: string;
  token: string;
}

describe.skipIf(!hasChromium)('web app: the case page', { timeout: 120_000 }, () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let browser: Browser;
  let baseUrl: string;
  let clinician: User;
  let reviewers: User[];
  let queue: string;
  const opened = new OpenedPages();

  async function open(viewport = PHONE): Promise<Page> {
    return opened.open(browser, baseUrl, viewport);
  }

  async function asClinician(caseId: string, viewport = PHONE): Promise<Page> {
    const page = await open(viewport);
    await signIn(page, clinician.email, clinician.password);
    await page.goto(`/#/cases/${caseId}`);
    await page.locator(`#case-page[data-case-id="${caseId}"]`).waitFor();
    return page;
  }

  /** Claims the case for the reviewer (it is the only one waiting in the test's queue). */
  async function claim(reviewer: User, caseId: string) {
    const res = await kit.claim(reviewer.token, queue);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(caseId);
  }

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    queue = await kit.queue(2);
    const site = await t.http.post('/api/v1/sites').set(auth(await t.adminToken())).send({ name: 'Hillside Clinic', tier: 'primary' });
    clinician = await t.createUser('clinician', { siteId: site.body.id, name: 'Nurse Amara Diallo' });
    reviewers = [];
    for (const name of ['Dr Lena Park', 'Dr Tomas Reyes', 'Dr Ines Sato']) reviewers.push(await t.createUser('reviewer', { queues: [queue], name }));
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  it('shows a 2-of-3 answer with the dissent apart, its diagnosis and disposition, and downloads the report', async () => {
    const created = await kit.openCase(clinician.token, { queue, patientRef: 'HC-0042', bodySite: 'Right shin' });
    const [first, second, third] = reviewers as [User, User, User];
    await claim(first, created.id);
    expect((await kit.opinion(first.token, created.id, PSORIASIS, { disposition: 'treat-locally' })).status).toBe(201);
    await claim(second, created.id);
    expect((await kit.opinion(second.token, created.id, ECZEMA, { disposition: 'urgent-referral', management: 'Refer today' })).status).toBe(201);
    // Disputed: a third, tie-breaking opinion agrees with the first.
    await claim(third, created.id);
    expect((await kit.opinion(third.token, created.id, PSORIASIS, { disposition: 'biopsy' })).status).toBe(201);

    const page = await asClinician(created.id);
    const answer = page.locator('#answer-summary');
    await answer.waitFor();
    expect(await answer.locator('.consensus-diagnosis').textContent()).toBe('Plaque psoriasis (ICD-10 L40.0)');
    expect(await answer.locator('.answer-agreement').textContent()).toBe('2 of 3 specialists agreed');
    // The majority's advice, the more cautious of theirs: never the dissent's urgent referral.
    expect(await answer.locator('.answer-advice').textContent()).toBe('Advice: Biopsy');
    expect(await answer.locator('.answer-dissent').textContent()).toBe('1 specialist disagreed:Atopic eczema (ICD-10 L20.9), advising urgent referral');
    expect(await answer.locator('.answer-dissent li').count()).toBe(1);
    await screenshot(page, 'case-answer-dissent-phone');

    const [download] = await Promise.all([page.waitForEvent('download'), answer.getByRole('link', { name: 'Print report (PDF)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await answer.getByText(/downloaded: open it to print/).waitFor();
  });

  it('sends the referrer\'s one reply, text and photos together, and the case goes back to the queue once', async () => {
    const created = await kit.openCase(clinician.token, { queue, patientRef: 'HC-0043', bodySite: 'Scalp' });
    const reviewer = reviewers[0]!;
    await claim(reviewer, created.id);
    expect((await kit.message(reviewer.token, created.id, 'Is the scalp itchy? Please add a close-up of the edge.', true)).status).toBe(201);

    const page = await asClinician(created.id);
    const discussion = page.locator('#discussion');
    // The question quoted first, the reply form under it, the thread after.
    await discussion.getByRole('heading', { name: 'A question for you from a specialist' }).waitFor();
    expect(await discussion.locator('.asked-question blockquote').textContent()).toBe('Is the scalp itchy? Please add a close-up of the edge.');
    expect(await discussion.locator('.asked-question figcaption').textContent()).toContain('Dr Lena Park (specialist)');
    const order = await discussion.evaluate((section) => [...section.children].map((el) => el.className || el.tagName));
    expect(order.indexOf('asked-question')).toBeLessThan(order.indexOf('message-form reply-form'));
    expect(order.indexOf('message-form reply-form')).toBeLessThan(order.indexOf('messages'));
    // There is no second form for photos.
    expect(await page.locator('form input[type=file][name=photos]').count()).toBe(1);
    expect(await page.locator('#add-photos-form').count()).toBe(0);

    // Neither text nor photos: the form says so beside the text.
    await discussion.getByRole('button', { name: 'Send' }).click();
    await discussion.locator('.error-summary').getByText('Write a reply or add photos.').waitFor();

    await discussion.getByLabel('Your reply or comment').fill('Itchy at night. Close-up attached.');
    await discussion.locator('input[type=file][name=photos]').setInputFiles([fixturePath('orient-1.jpg')]);
    await poll(() => discussion.locator('.preview').count()).toBe(1);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'case-reply-form-phone');
    const writes: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') writes.push(new URL(request.url()).pathname);
    });
    const answered = page.waitForResponse((response) => response.request().method() === 'POST');
    // Exactly: a small photo's quality prompt beside it has its own 'Send anyway'.
    await discussion.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Reply and 1 photo sent.').waitFor();
    // One request carries the whole reply: the text as `message` beside the photo.
    expect(writes).toEqual([`/api/v1/cases/${created.id}/photos`]);
    expect(await (await answered).json()).toMatchObject({ message: { body: 'Itchy at night. Close-up attached.', authorType: 'user' }, caseStatus: 'queued' });
    expect(await page.locator('#case-page').getAttribute('data-status')).toBe('queued');

    const read = await kit.read(clinician.token, created.id);
    expect(read.body.photos).toHaveLength(2);
    expect(read.body.messages.map((m: { body: string }) => m.body)).toEqual(['Is the scalp itchy? Please add a close-up of the edge.', 'Itchy at night. Close-up attached.']);
    // Back in the queue once, with the whole reply in.
    expect(read.body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'in_review', 'needs_info', 'queued']);
    expect(await discussion.locator('.message').last().locator('.message-meta').textContent()).toMatch(/^You · /);

    // Photos alone, with no question waiting, go through the same form.
    await discussion.locator('input[type=file][name=photos]').setInputFiles([fixturePath('orient-2.jpg')]);
    await discussion.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Photos added.').waitFor();
    expect((await kit.read(clinician.token, created.id)).body.photos).toHaveLength(3);
  });

  it('shows a note sent with follow-up photos as the patient\'s, and the history says who acted, day by day', async () => {
    // Urgent: claimed before the routine case of the test before, back in the queue.
    const created = await kit.openCase(clinician.token, { queue, patientRef: 'HC-0044', bodySite: 'Left hand', urgency: 'urgent' });
    await claim(reviewers[1]!, created.id);
    const link = await t.http.post(`/api/v1/cases/${created.id}/follow-up-links`).set(auth(clinician.token)).send({ maxPhotos: 3 });
    expect(link.status).toBe(201);
    const sent = await t.http.post(`/f/${link.body.token}/photos`).field('note', 'It has spread to the wrist since Monday.').attach('photos', fixturePath('orient-3.jpg'));
    expect(sent.status).toBe(201);

    const page = await asClinician(created.id, DESKTOP);
    const note = page.locator('#discussion .message[data-author-type=link]');
    await note.waitFor();
    expect(await note.locator('.message-meta').textContent()).toMatch(/^Patient or parent \(follow-up link\) · /);
    expect(await note.locator('.message-body').textContent()).toBe('It has spread to the wrist since Monday.');

    const history = page.locator('#history');
    expect(await history.locator('h3.timeline-day').count()).toBe(1);
    const entries = await history.locator('.timeline li').evaluateAll((items) => items.map((li) => [li.querySelector('.timeline-status')?.textContent, li.querySelector('.timeline-actor')?.textContent]));
    expect(entries).toEqual([
      ['Waiting for a specialist', 'Nurse Amara Diallo'],
      ['In review', 'Dr Tomas Reyes'],
    ]);
    await screenshot(page, 'case-note-history-desktop');
  });

  it('lists the case\'s follow-up links with their status, revokes one, and shows a new link with a QR code that encodes it', async () => {
    const created = await kit.openCase(clinician.token, { queue, patientRef: 'HC-0045', bodySite: 'Back' });
    const makeLink = async (body: Record<string, unknown>) => {
      const res = await t.http.post(`/api/v1/cases/${created.id}/follow-up-links`).set(auth(clinician.token)).send(body);
      expect(res.status).toBe(201);
      return res.body as { id: string; token: string; url: string };
    };
    const expired = await makeLink({ expiresInDays: 3 });
    t.clock.advance(4 * DAY_MS);
    // Four days on, the clinician signs in again.
    clinician.token = await t.login(clinician.email, clinician.password);
    const used = await makeLink({ maxPhotos: 1 });
    expect((await t.http.post(`/f/${used.token}/photos`).attach('photos', fixturePath('orient-1.jpg'))).status).toBe(201);
    const revoked = await makeLink({});
    expect((await t.http.delete(`/api/v1/follow-up-links/${revoked.id}`).set(auth(clinician.token))).status).toBe(204);
    const active = await makeLink({ maxPhotos: 4 });

    const page = await asClinician(created.id);
    const links = page.locator('#follow-up-links');
    await links.locator('.link-item').first().waitFor();
    const statuses = () => links.locator('.link-item').evaluateAll((items) => items.map((li) => [(li as HTMLElement).dataset.linkId, (li as HTMLElement).dataset.status]));
    expect(await statuses()).toEqual([
      [active.id, 'active'],
      [revoked.id, 'revoked'],
      [used.id, 'used'],
      [expired.id, 'expired'],
    ]);
    const activeItem = links.locator(`.link-item[data-link-id="${active.id}"]`);
    expect(await activeItem.locator('.badge').textContent()).toBe('Active');
    expect(await activeItem.locator('.link-photos').textContent()).toBe('0 of 4 photos received');
    expect(await links.locator(`.link-item[data-link-id="${used.id}"] .link-photos`).textContent()).toBe('1 of 1 photo received');
    // Made without a language: the parent's page follows their browser, and the list says so.
    expect(await activeItem.locator('.link-language').textContent()).toBe("Parent's language: their browser's");
    // Only an active link can be revoked.
    expect(await links.getByRole('button', { name: 'Revoke' }).count()).toBe(1);
    await screenshot(page, 'case-follow-up-links-phone');

    // Revoking asks first; saying no keeps the link.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await activeItem.getByRole('button', { name: 'Revoke' }).click();
    expect(await activeItem.getAttribute('data-status')).toBe('active');
    page.once('dialog', (dialog) => void dialog.accept());
    await activeItem.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('The link is revoked.').waitFor();
    await poll(() => links.locator(`.link-item[data-link-id="${active.id}"]`).getAttribute('data-status')).toBe('revoked');
    expect((await t.http.get(`/f/${active.token}`)).status).toBe(404);

    // A new link: shown once, with a copy button and a QR code of the same address.
    await page.getByRole('button', { name: 'Make a follow-up link' }).click();
    const url = await page.getByLabel('Follow-up link (shown only now)').inputValue();
    expect(url).toMatch(/\/f\/[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('button', { name: 'Copy link' }).waitFor();
    await poll(() => links.locator('.link-item').count()).toBe(5);
    const qr = page.getByRole('img', { name: /QR code of the follow-up link/ });
    await qr.waitFor();
    expect(await qr.evaluate((svg) => svg.getBoundingClientRect().width)).toBeGreaterThanOrEqual(150);

    // What the screen shows, module by module (the picture drawn on a canvas and read back at each module's
    // centre), is the QR code of the URL at error correction M, with a 4-module blank margin round it.
    const expected = qrcode(0, 'M');
    expected.addData(url, 'Byte');
    expected.make();
    const n = expected.getModuleCount();
    const side = n + 8;
    const drawn = await qr.evaluate(async (svg, side) => {
      const cell = 8;
      const copy = svg.cloneNode(true) as SVGSVGElement;
      copy.setAttribute('width', String(side * cell));
      copy.setAttribute('height', String(side * cell));
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      const blobUrl = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
      const img = new Image();
      img.src = blobUrl;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = side * cell;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      URL.revokeObjectURL(blobUrl);
      const rows: string[] = [];
      for (let y = 0; y < side; y++) {
        let row = '';
        for (let x = 0; x < side; x++) row += context.getImageData(x * cell + cell / 2, y * cell + cell / 2, 1, 1).data[0]! < 128 ? '#' : '.';
        rows.push(row);
      }
      return rows;
    }, side);
    const want: string[] = [];
    for (let y = 0; y < side; y++) {
      let row = '';
      for (let x = 0; x < side; x++) row += x >= 4 && y >= 4 && x < n + 4 && y < n + 4 && expected.isDark(y - 4, x - 4) ? '#' : '.';
      want.push(row);
    }
    expect(drawn).toEqual(want);
    await screenshot(page, 'case-follow-up-qr-phone');
  });
});
