// `npm run demo` end to end: the demo entry point as a child process on a temporary folder and a free port, with a
// real install's variables set to prove they are ignored. It must print every account, hold cases in every status
// with JPEG photos, fill every main page of the web app for the admin, the clinician and a reviewer, keep its data
// on a restart, refuse a folder it did not make, and stop cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_ADMIN, DEMO_CASES, DEMO_CLINICIAN, DEMO_REVIEWERS } from '../../scripts/demo/network.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn } from '../helpers/browser.js';
import { freePort } from '../helpers/ports.js';

const READY = 'Press Ctrl-C to stop.';

interface DemoProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startDemo(dataDir: string, port: number, env: Record<string, string> = {}): DemoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--data-dir', dataDir], {
    cwd: process.cwd(),
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits until the demo prints `text`; fails with what it printed if it exits first or takes too long. */
async function waitForOutput(demo: DemoProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!demo.output().includes(text)) {
    if (demo.child.exitCode !== null) throw new Error(`the demo exited with ${demo.child.exitCode} before printing "${text}":\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`the demo did not print "${text}" within ${timeoutMs} ms:\n${demo.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(demo: DemoProcess): Promise<number | null> {
  if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
  return demo.exited;
}

interface CaseSummary {
  id: string;
  patientRef: string;
  status: string;
  queue: string;
}

interface CaseBody extends CaseSummary {
  photos: { id: string; kind: string; uploadedBy: string }[];
  opinions: { diagnosis: { text: string; code?: string } }[];
  messages: { body: string; requestInfo: boolean }[];
  timeline: { status: string }[];
  consensus: { text: string; code?: string } | null;
  /** Second release: the majority's advice and the dissent; checked when the service gives it. */
  answer?: { dissent: unknown[] };
}

describe('npm run demo', { timeout: 180_000 }, () => {
  let root: string;
  let dataDir: string;
  let baseUrl: string;
  let demo: DemoProcess;
  let seconds = 0;
  const ids = new Map<string, string>();

  async function login(email: string, password: string): Promise<string> {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const body = (await res.json()) as { token: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body.token;
  }

  async function get<T>(token: string, url: string): Promise<T> {
    const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, url).toBe(200);
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-demo-'));
    dataDir = path.join(root, 'data-demo');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const started = Date.now();
    // A real install's variables: the demo must touch none of them.
    demo = startDemo(dataDir, port, {
      DATA_DIR: path.join(root, 'real-data'),
      DATABASE_URL: 'postgres://derm:secret@127.0.0.1:1/real',
      MINIO_ENDPOINT: 'minio.invalid',
      MINIO_ACCESS_KEY: 'real',
      MINIO_SECRET_KEY: 'real-secret',
    });
    await waitForOutput(demo, READY, 150_000);
    seconds = (Date.now() - started) / 1000;
    const admin = await login(DEMO_ADMIN.email, DEMO_ADMIN.password);
    const page = await get<{ items: CaseSummary[] }>(admin, '/api/v1/cases?limit=200');
    for (const c of page.items) ids.set(c.patientRef, c.id);
  }, 180_000);

  afterAll(async () => {
    if (demo && demo.child.exitCode === null) demo.child.kill('SIGKILL');
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints the address and every demo account in plain words, and ignores DATA_DIR, DATABASE_URL and MINIO_*', () => {
    const output = demo.output();
    expect(output).toContain(`Demo ready at ${baseUrl}/`);
    for (const account of DEMO_ACCOUNTS) {
      const line = output.split('\n').find((l) => l.includes(account.email));
      expect(line, `a line for ${account.email}`).toBeDefined();
      expect(line).toContain(account.role);
      expect(line).toContain(`password ${account.password}`);
    }
    expect(output).toContain('Ignoring DATA_DIR=');
    expect(output).toContain('Ignoring DATABASE_URL');
    expect(output).toContain('Ignoring MINIO_ENDPOINT');
    expect(output).not.toContain('secret');
    expect(fs.existsSync(path.join(root, 'real-data'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'service.sqlite'))).toBe(true);
    expect(output).toMatch(/Built in [\d.]+ s: 2 sites, 5 accounts, 13 cases, 26 photos\./);
    process.stdout.write(`demo: first run ready in ${seconds.toFixed(1)} s\n`);
  });

  it('holds cases in every status, each as the network describes it', async () => {
    const admin = await login(DEMO_ADMIN.email, DEMO_ADMIN.password);
    const { items } = await get<{ items: CaseSummary[] }>(admin, '/api/v1/cases?limit=200');
    expect(items).toHaveLength(DEMO_CASES.length);
    expect(new Set(items.map((c) => c.status))).toEqual(new Set(['queued', 'in_review', 'needs_info', 'disputed', 'answered', 'closed']));
    for (const demoCase of DEMO_CASES) {
      const found = items.find((c) => c.patientRef === demoCase.input.patientRef);
      expect(found, demoCase.input.patientRef).toMatchObject({ status: demoCase.expect, queue: demoCase.queue });
    }
    for (const status of ['queued', 'in_review', 'needs_info', 'disputed', 'answered', 'closed']) {
      const page = await get<{ items: CaseSummary[] }>(admin, `/api/v1/cases?status=${status}`);
      expect(page.items.length, status).toBeGreaterThan(0);
    }

    // The clinician sees the answered cases' opinions: one answered 2 to 1 after a dispute, with its dissent.
    const clinician = await login(DEMO_CLINICIAN.email, DEMO_CLINICIAN.password);
    const dissent = await get<CaseBody>(clinician, `/api/v1/cases/${ids.get('DEMO-002')}`);
    expect(dissent.status).toBe('answered');
    expect(dissent.opinions).toHaveLength(3);
    expect(new Set(dissent.opinions.map((o) => o.diagnosis.code))).toEqual(new Set(['D03.5', 'D22.5']));
    expect(dissent.timeline.map((t) => t.status)).toContain('disputed');
    expect(dissent.consensus).toMatchObject({ code: 'D03.5' });
    if (dissent.answer) expect(dissent.answer.dissent).toHaveLength(1);
    const agreed = await get<CaseBody>(clinician, `/api/v1/cases/${ids.get('DEMO-001')}`);
    expect(agreed.opinions).toHaveLength(2);
    expect(agreed.timeline.map((t) => t.status)).not.toContain('disputed');

    const asked = await get<CaseBody>(clinician, `/api/v1/cases/${ids.get('DEMO-006')}`);
    expect(asked.messages.some((m) => m.requestInfo)).toBe(true);
    const replied = await get<CaseBody>(clinician, `/api/v1/cases/${ids.get('DEMO-007')}`);
    expect(replied.timeline.map((t) => t.status)).toEqual(['queued', 'in_review', 'needs_info', 'queued', 'in_review']);

    // Follow-up photos came in through a patient's link, not from an account.
    const followed = await get<CaseBody>(clinician, `/api/v1/cases/${ids.get('DEMO-004')}`);
    expect(followed.photos.filter((p) => p.kind === 'followup' && p.uploadedBy === 'link')).toHaveLength(2);
    // DEMO-013 has a link made for the patient and not used yet (`state` before the second release named it `status`).
    const links = await get<{ items: { status?: string; state?: string; photosReceived: number }[] }>(clinician, `/api/v1/cases/${ids.get('DEMO-013')}/follow-up-links`);
    expect(links.items.map((l) => [l.status ?? l.state, l.photosReceived])).toEqual([['active', 0]]);

    // A reviewer sees the queues with cases waiting, and an admin the people.
    const reviewer = await login(DEMO_REVIEWERS[2].email, DEMO_REVIEWERS[2].password);
    const queues = await get<{ slug: string; open: number }[]>(reviewer, '/api/v1/queues');
    expect(queues.find((q) => q.slug === 'general')!.open).toBeGreaterThan(0);
    const users = await get<{ email: string; role: string }[]>(admin, '/api/v1/users');
    expect(users.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
  });

  it('serves every photo as a 1600x1200 JPEG, metadata stripped', async () => {
    const admin = await login(DEMO_ADMIN.email, DEMO_ADMIN.password);
    let count = 0;
    for (const id of ids.values()) {
      const c = await get<CaseBody>(admin, `/api/v1/cases/${id}`);
      for (const photo of c.photos) {
        const res = await fetch(`${baseUrl}/api/v1/photos/${photo.id}`, { headers: { authorization: `Bearer ${admin}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
        const meta = await sharp(bytes).metadata();
        expect(meta).toMatchObject({ format: 'jpeg', width: 1600, height: 1200 });
        expect(meta.exif).toBeUndefined();
        expect(bytes.length).toBeGreaterThan(50_000);
        count++;
      }
    }
    expect(count).toBe(26);
  });

  describe.skipIf(!hasChromium)('in the browser, every main page has content', () => {
    let browser: Browser;
    const opened = new OpenedPages();

    beforeAll(async () => {
      browser = await launchBrowser();
    });

    afterAll(async () => {
      opened.expectNoProblems();
      await browser?.close();
    });

    async function open(email: string, password: string, viewport = DESKTOP): Promise<Page> {
      const page = await opened.open(browser, baseUrl, viewport);
      await signIn(page, email, password);
      return page;
    }

    /** Every thumbnail on the page decoded, and the main viewer showing its photo. */
    async function photosShown(page: Page) {
      await poll(() => page.locator('.thumb-img').count()).toBeGreaterThan(0);
      await poll(() => page.locator('.thumb-img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
      await page.locator('#main-viewer .viewer-viewport[data-loaded=true]').waitFor();
    }

    it('admin: users, sites, queues, statistics, audit, cases and a case', async () => {
      const page = await open(DEMO_ADMIN.email, DEMO_ADMIN.password);
      await page.goto('/#/admin/users');
      await poll(() => page.locator('#users-table tbody tr').count()).toBe(DEMO_ACCOUNTS.length);
      await screenshot(page, 'demo-admin-users');

      await page.goto('/#/admin/sites');
      await poll(() => page.locator('#sites-table tbody tr').count()).toBe(2);
      await screenshot(page, 'demo-admin-sites');

      await page.goto('/#/admin/queues');
      await poll(() => page.locator('#queues-table tbody tr').count()).toBeGreaterThanOrEqual(6);
      await screenshot(page, 'demo-admin-queues');

      await page.goto('/#/admin/stats');
      await poll(() => page.locator('#stats-table tr[data-queue]').count()).toBeGreaterThanOrEqual(5);
      const general = page.locator('#stats-table tr[data-queue=general] td').first();
      expect(Number(await general.textContent())).toBeGreaterThanOrEqual(4);
      await screenshot(page, 'demo-admin-stats');

      await page.goto('/#/admin/audit');
      await poll(() => page.locator('#audit-table tbody tr').count()).toBeGreaterThan(10);
      await screenshot(page, 'demo-admin-audit');

      await page.goto('/#/cases');
      await poll(() => page.locator('.case-row').count()).toBe(DEMO_CASES.length);
      await screenshot(page, 'demo-admin-cases');

      await page.goto(`/#/cases/${ids.get('DEMO-006')}`);
      await page.locator('#case-page[data-status=needs_info]').waitFor();
      await photosShown(page);
      expect(await page.locator('#discussion').textContent()).toContain('rule out scabies');
      await screenshot(page, 'demo-admin-case-needs-info');
    });

    it('clinician: the case list, an answer with a dissent, follow-up photos beside the first ones', async () => {
      const phone = await open(DEMO_CLINICIAN.email, DEMO_CLINICIAN.password, PHONE);
      await phone.waitForURL(/#\/cases$/);
      await poll(() => phone.locator('.case-row').count()).toBe(DEMO_CASES.length);
      await screenshot(phone, 'demo-clinician-cases-phone');

      const page = await open(DEMO_CLINICIAN.email, DEMO_CLINICIAN.password);
      await page.goto(`/#/cases/${ids.get('DEMO-002')}`);
      await page.locator('#case-page[data-status=answered]').waitFor();
      await page.locator('#consensus').waitFor();
      expect(await page.locator('#opinions .opinion').count()).toBe(3);
      // Decided 2 of 3: the answer says so, and the outvoted opinion stands apart from the advice.
      const answer = page.locator('#answer-summary');
      expect(await answer.locator('.answer-agreement').textContent()).toBe('2 of 3 specialists agreed');
      expect(await answer.locator('.answer-dissent li').count()).toBe(1);
      expect(await answer.locator('.answer-advice').textContent()).not.toContain('/');
      await photosShown(page);
      await screenshot(page, 'demo-clinician-answer-dissent');

      await page.goto(`/#/cases/${ids.get('DEMO-004')}`);
      const compare = page.locator('#compare');
      await compare.waitFor();
      // The comparison's photos load once it is on screen.
      await compare.scrollIntoViewIfNeeded();
      await poll(() => compare.locator('.viewer-viewport[data-loaded=true]').count()).toBe(2);
      await screenshot(page, 'demo-clinician-follow-up');
    });

    it('reviewer: the queues, the cases of those queues, and a disputed case waiting for a tie-breaker', async () => {
      const reviewer = DEMO_REVIEWERS[2];
      const page = await open(reviewer.email, reviewer.password);
      await page.waitForURL(/#\/queues$/);
      await poll(() => page.locator('.queue-card').count()).toBe(reviewer.queues.length);
      expect(Number(await page.locator('.queue-card[data-queue=pigmented-lesions] .queue-open').textContent())).toBeGreaterThanOrEqual(1);
      await screenshot(page, 'demo-reviewer-queues');

      await page.goto('/#/cases');
      await poll(() => page.locator('.case-row').count()).toBeGreaterThanOrEqual(8);
      await screenshot(page, 'demo-reviewer-cases');

      await page.goto(`/#/cases/${ids.get('DEMO-005')}`);
      await page.locator('#case-page[data-status=disputed]').waitFor();
      await photosShown(page);
      // Blinded: the two opinions given are not shown to a reviewer who has not given one.
      expect(await page.locator('#opinions .opinion').count()).toBe(0);
      await screenshot(page, 'demo-reviewer-disputed-case');
    });
  });

  it('keeps its network on a restart, without building it again', async () => {
    const first = await stop(demo);
    expect(first).toBe(0);
    const port = await freePort();
    demo = startDemo(dataDir, port);
    await waitForOutput(demo, READY, 60_000);
    expect(demo.output()).toContain('The demo network of an earlier run');
    expect(demo.output()).not.toContain('Built in');
    baseUrl = `http://127.0.0.1:${port}`;
    const admin = await login(DEMO_ADMIN.email, DEMO_ADMIN.password);
    const { items } = await get<{ items: CaseSummary[] }>(admin, '/api/v1/cases?limit=200');
    expect(items).toHaveLength(DEMO_CASES.length);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await stop(demo);
    expect(code).toBe(0);
    expect(demo.output()).toContain('SIGTERM: stopping the demo.');
  });

  it('refuses a folder it did not make, changing nothing in it', async () => {
    const real = path.join(root, 'real-install');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'service.sqlite'), 'not the demo');
    const refused = startDemo(real, await freePort());
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('holds files the demo did not make: refusing to use it');
    expect(fs.readdirSync(real)).toEqual(['service.sqlite']);
    expect(fs.readFileSync(path.join(real, 'service.sqlite'), 'utf8')).toBe('not the demo');
  });
});
