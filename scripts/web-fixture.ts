// What `npm run bench:web` and `npm run screenshots` share: the service in this process on a temporary DATA_DIR and
// a free port, with a clock the seeding can move forward (follow-up photos from different days), and the people and
// cases the web app is looked at with, all made through the HTTP API as the clinic would.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loggerOptions } from '../src/logger.js';
import { TestClock } from '../test/helpers/clock.js';
import { ApiClient, type UploadFile } from './demo/api-client.js';
import { lesionPhoto, type LesionPhotoSpec } from './demo/lesion-photos.js';
import type { DemoOpinion } from './demo/network.js';
import { renderPhoneJpeg } from './generate-photos.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY_MS = 24 * 3600_000;
const QUEUE = 'general';

export interface Account {
  email: string;
  password: string;
}

export const WEB_ADMIN: Account = { email: 'web-admin@clinic.test', password: 'web-admin-passphrase' };
export const WEB_CLINICIAN: Account & { name: string } = { email: 'web-clinician@clinic.test', password: 'web-clinician-passphrase', name: 'Nurse Web Fixture' };
export const WEB_REVIEWERS: readonly (Account & { name: string })[] = [1, 2, 3].map((n) => ({
  email: `web-reviewer-${n}@clinic.test`,
  password: `web-reviewer-${n}-passphrase`,
  name: `Dr Reviewer ${n}`,
}));

/** What a script undoes on its way out, last first (see runScript). */
export type Cleanups = (() => Promise<void> | void)[];

export interface WebService {
  baseUrl: string;
  api: ApiClient;
  /** The service's "now": moved forward to date follow-up photos on later days. */
  clock: TestClock;
  dataDir: string;
}

/**
 * The service as `npm start` builds it, in this process (so that the seeding owns its clock); logs at warn to
 * stderr. Its DATA_DIR is in `cleanups` from the moment it exists, so that Ctrl-C during the start leaves nothing.
 */
export async function startWebService(cleanups: Cleanups): Promise<WebService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-web-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // Only these variables: DATABASE_URL, MINIO_* and the rest of this shell's environment stay out.
  const config = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_EMAIL: WEB_ADMIN.email,
    ADMIN_PASSWORD: WEB_ADMIN.password,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    FOLLOW_UP_RATE_LIMIT_PER_MINUTE: '1000',
    // Chromium, the seeding's photo drawing and the service share two cores: a slow event loop is not overload here.
    OVERLOAD_EVENT_LOOP_DELAY_MS: '60000',
    LOG_LEVEL: 'warn',
  });
  const clock = new TestClock();
  // stderr: stdout ends with the scripts' own result line.
  const app = await buildApp(config, { clock, loggerInstance: pino(loggerOptions(config.logLevel) as pino.LoggerOptions, pino.destination(2)) });
  cleanups.push(() => app.close());
  await app.listen({ host: config.host, port: config.port });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { baseUrl, api: new ApiClient(baseUrl), clock, dataDir };
}

/** The short hash of the checkout the scripts run in, and whether its src/ differs from it. */
export function checkoutCommit(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src').length > 0 };
}

interface CaseBody {
  id: string;
  status: string;
  photos: { id: string }[];
}

const caseInput = (patientRef: string, history: string, question: string) =>
  JSON.stringify({ patientRef, ageYears: 46, sex: 'female', fitzpatrick: 3, bodySite: 'left forearm', durationDays: 30, history, question, urgency: 'routine', queue: QUEUE });

const opinion = (text: string, code: string, disposition: DemoOpinion['disposition'], management: string): DemoOpinion => ({
  diagnosis: { text, code, system: 'icd10' },
  confidence: 'high',
  management,
  disposition,
});
const PSORIASIS = opinion('Plaque psoriasis', 'L40.0', 'treat-locally', 'Potent topical steroid once daily for four weeks, then review. Emollients twice daily.');
const ECZEMA = opinion('Atopic eczema', 'L20.9', 'treat-locally', 'Moderate topical steroid for two weeks and emollients; swab if it weeps.');

/** The admin makes the clinician and three reviewers of the queue. */
export async function seedPeople(service: WebService): Promise<void> {
  const admin = await service.api.login(WEB_ADMIN.email, WEB_ADMIN.password);
  await service.api.json('POST', '/api/v1/users', admin, { ...WEB_CLINICIAN, role: 'clinician' });
  for (const reviewer of WEB_REVIEWERS) await service.api.json('POST', '/api/v1/users', admin, { ...reviewer, role: 'reviewer', queues: [QUEUE] });
}

/** A phone photo of ~2 MB, 4000 x 3000 with sensor noise, the same bytes on every run: what a referrer sends. */
export function phonePhoto(): Promise<Buffer> {
  return renderPhoneJpeg({ name: 'web-phone', width: 4000, height: 3000, orientation: 1, seed: 15, quality: 88 });
}

const signIn = (service: WebService, account: Account) => service.api.login(account.email, account.password);

/** Sends a case as the clinician; of two photos, the first is an overview and the second a close-up. */
async function sendCase(service: WebService, clinician: string, input: string, photos: UploadFile[]): Promise<CaseBody> {
  const fields: Record<string, string> = { case: input };
  if (photos.length === 2) fields.kinds = JSON.stringify(['overview', 'closeup']);
  return service.api.upload<CaseBody>('/api/v1/cases', clinician, fields, photos);
}

/** Each reviewer in turn claims the queue's next case (which must be `caseId`) and gives the opinion beside it. */
async function review(service: WebService, caseId: string, opinions: [reviewer: number, opinion: DemoOpinion][]): Promise<void> {
  for (const [reviewer, given] of opinions) {
    const token = await signIn(service, WEB_REVIEWERS[reviewer]!);
    const claimed = await service.api.json<CaseBody | null>('POST', `/api/v1/queues/${QUEUE}/claim`, token);
    if (claimed?.id !== caseId) throw new Error(`reviewer ${reviewer + 1} claimed ${claimed ? 'another case' : 'nothing'} instead of case ${caseId}`);
    await service.api.json('POST', `/api/v1/cases/${caseId}/opinions`, token, given);
  }
}

/** The case the bench opens: one large phone photo, answered 2 against 1 (a majority's advice and one dissent). */
export async function seedAnsweredCase(service: WebService, photo: Buffer): Promise<string> {
  const clinician = await signIn(service, WEB_CLINICIAN);
  const created = await sendCase(service, clinician, caseInput('WEB-001', 'Scaly itchy plaques on both forearms for a month; no response to emollients.', 'Psoriasis or eczema? How to treat locally?'), [
    { bytes: photo, name: 'IMG_4001.JPG' },
  ]);
  // Two disagree (disputed); the third settles it.
  await review(service, created.id, [
    [0, PSORIASIS],
    [1, ECZEMA],
    [2, PSORIASIS],
  ]);
  const answered = await service.api.json<CaseBody>('GET', `/api/v1/cases/${created.id}`, clinician);
  if (answered.status !== 'answered') throw new Error(`the answered case is ${answered.status}`);
  return created.id;
}

const lesion = (spec: Omit<LesionPhotoSpec, 'fitzpatrick'>) => lesionPhoto({ fitzpatrick: 3, ...spec });

/**
 * An answered wound whose patient sent follow-up photos through two links, 3 and 7 days after the first photos.
 * Moves the service's clock 7 days on: tokens made before then have expired.
 */
export async function seedFollowUpCase(service: WebService): Promise<string> {
  let clinician = await signIn(service, WEB_CLINICIAN);
  const first = await Promise.all([lesion({ seed: 201, lesion: 'suture-line', view: 'overview' }), lesion({ seed: 202, lesion: 'suture-line', view: 'closeup', ruler: true })]);
  const created = await sendCase(
    service,
    clinician,
    caseInput('WEB-002', 'Excision of a naevus ten days ago; the wound edge is red and warm.', 'Wound infection or normal healing?'),
    first.map((bytes, i) => ({ bytes, name: `IMG_42${i}.JPG` })),
  );
  await review(service, created.id, [
    [0, opinion('Normal wound healing', 'Z48.0', 'reassure', 'Healing as expected. Keep it clean and dry; sutures out at day 14. Send photos again in a week.')],
    [1, opinion('Normal wound healing', 'Z48.0', 'reassure', 'No sign of infection. Review with photos at a week.')],
  ]);
  for (const [days, healing, seed] of [
    [3, 0.5, 211],
    [4, 0.9, 221],
  ] as const) {
    service.clock.advance(days * DAY_MS);
    clinician = await signIn(service, WEB_CLINICIAN);
    const link = await service.api.json<{ token: string }>('POST', `/api/v1/cases/${created.id}/follow-up-links`, clinician, {});
    const photos = await Promise.all([lesion({ seed, lesion: 'suture-line', view: 'closeup', healing, ruler: true }), lesion({ seed: seed + 1, lesion: 'suture-line', view: 'overview', healing })]);
    // The patient's phone: no account, only the link's token.
    await service.api.upload(`/f/${link.token}/photos`, null, {}, photos.map((bytes, i) => ({ bytes, name: `photo-${i + 1}.jpg` })));
  }
  return created.id;
}

/** A new case of the queue that reviewer 3 has claimed and not yet answered: the reviewer's workspace. */
export async function seedClaimedCase(service: WebService): Promise<string> {
  const clinician = await signIn(service, WEB_CLINICIAN);
  const photos = await Promise.all([lesion({ seed: 301, lesion: 'plaque', view: 'overview' }), lesion({ seed: 302, lesion: 'plaque', view: 'closeup', ruler: true })]);
  const created = await sendCase(
    service,
    clinician,
    caseInput('WEB-003', 'Silvery scaly plaques on the elbows and knees for six months; father has psoriasis.', 'Is this psoriasis, and what can we start here?'),
    photos.map((bytes, i) => ({ bytes, name: `IMG_43${i}.JPG` })),
  );
  const reviewer = await signIn(service, WEB_REVIEWERS[2]!);
  const claimed = await service.api.json<CaseBody | null>('POST', `/api/v1/queues/${QUEUE}/claim`, reviewer);
  if (claimed?.id !== created.id) throw new Error(`reviewer 3 claimed ${claimed ? 'another case' : 'nothing'} instead of case ${created.id}`);
  return created.id;
}

/**
 * Runs `main`, then `cleanups` in reverse order whatever happened, on Ctrl-C or SIGTERM too; exits 1 when
 * `main` failed, with its error on stderr.
 */
export function runScript(name: string, main: (cleanups: Cleanups) => Promise<void>): void {
  const cleanups: Cleanups = [];
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (err) {
          process.stderr.write(`[${name}] cleaning up: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[${name}] ${signal}: stopping\n`);
      setTimeout(() => process.exit(1), 15_000).unref();
      void cleanUp().finally(() => process.exit(1));
    });
  }
  main(cleanups)
    .then(cleanUp, async (err: unknown) => {
      process.stderr.write(`[${name}] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
      await cleanUp();
    })
    // Playwright's and the service's handles are closed: nothing should keep the process, but a stray timer must not.
    .finally(() => process.exit());
}
