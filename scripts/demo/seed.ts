// Builds the demo network through the running service's HTTP API, as its people would: the admin makes the sites
// and accounts, the clinician sends cases with photos, reviewers claim, give opinions and ask questions, a patient
// sends follow-up photos with a link. Nothing is written around the API, so every rule and audit entry applies.
import type { CaseStatus } from '../../src/vocabulary.js';
import { ApiClient, type UploadFile } from './api-client.js';
import { lesionPhoto } from './lesion-photos.js';
import { DEMO_ADMIN, DEMO_CASES, DEMO_CLINICIAN, DEMO_REVIEWERS, DEMO_SITES, type DemoAccount, type DemoCase, type DemoPhoto, type ReviewerKey } from './network.js';

export interface SeedReport {
  cases: { patientRef: string; id: string; status: CaseStatus; queue: string; photos: number }[];
  photos: number;
}

interface CaseBody {
  id: string;
  status: CaseStatus;
  queue: string;
  photos: unknown[];
}

/**
 * Photos are drawn ahead of need, two at a time, while the service sanitizes the ones before: drawing one takes
 * most of a second. Each has its own seed, so every demo draws the same photos.
 */
class PhotoSupply {
  private readonly queue: { key: string; run: () => Promise<Buffer> }[] = [];
  private readonly started = new Map<string, Promise<Buffer>>();
  private running = 0;

  constructor(private readonly concurrency = 2) {}

  request(key: string, seed: number, fitzpatrick: DemoCase['input']['fitzpatrick'], photo: DemoPhoto): void {
    this.queue.push({ key, run: () => lesionPhoto({ ...photo.look, seed, fitzpatrick }) });
    this.pump();
  }

  get(key: string): Promise<Buffer> {
    const found = this.started.get(key);
    if (found) return found;
    // Not started yet: start it now, ahead of the line.
    const index = this.queue.findIndex((job) => job.key === key);
    if (index < 0) throw new Error(`no photo was asked for under ${key}`);
    const [job] = this.queue.splice(index, 1);
    return this.start(job!);
  }

  private start(job: { key: string; run: () => Promise<Buffer> }): Promise<Buffer> {
    this.running++;
    const promise = job.run().finally(() => {
      this.running--;
      this.pump();
    });
    // A failure is reported by whoever awaits it; meanwhile it must not count as unhandled.
    promise.catch(() => {});
    this.started.set(job.key, promise);
    return promise;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) void this.start(this.queue.shift()!);
  }
}

export async function seedDemo(baseUrl: string, log: (line: string) => void = () => {}, signal?: AbortSignal): Promise<SeedReport> {
  const api = new ApiClient(baseUrl, signal);
  const photos = new PhotoSupply();
  DEMO_CASES.forEach((c, caseIndex) => {
    c.photos.forEach((p, i) => photos.request(`${caseIndex}/${i}`, caseIndex * 100 + i + 1, c.input.fitzpatrick, p));
    c.steps.forEach((step, s) => {
      if (step.do === 'follow-up') step.photos.forEach((p, i) => photos.request(`${caseIndex}/f${s}/${i}`, caseIndex * 100 + 50 + s * 10 + i, c.input.fitzpatrick, p));
    });
  });

  const admin = await api.login(DEMO_ADMIN.email, DEMO_ADMIN.password);
  const siteIds = new Map<string, string>();
  for (const site of DEMO_SITES) {
    const created = await api.json<{ id: string }>('POST', '/api/v1/sites', admin, { name: site.name, tier: site.tier });
    siteIds.set(site.key, created.id);
  }
  const createUser = async (account: DemoAccount) => {
    await api.json('POST', '/api/v1/users', admin, {
      email: account.email,
      name: account.name,
      role: account.role,
      password: account.password,
      ...(account.site ? { siteId: siteIds.get(account.site) } : {}),
      ...(account.queues ? { queues: account.queues } : {}),
    });
  };
  await createUser(DEMO_CLINICIAN);
  for (const reviewer of DEMO_REVIEWERS) await createUser(reviewer);
  log(`  ${DEMO_SITES.length} sites, 1 clinician and ${DEMO_REVIEWERS.length} reviewers`);

  const clinician = await api.login(DEMO_CLINICIAN.email, DEMO_CLINICIAN.password);
  const reviewerTokens = new Map<ReviewerKey, string>();
  for (const reviewer of DEMO_REVIEWERS) reviewerTokens.set(reviewer.key, await api.login(reviewer.email, reviewer.password));
  const tokenOf = (key: ReviewerKey) => reviewerTokens.get(key)!;

  const report: SeedReport = { cases: [], photos: 0 };
  for (const [caseIndex, demo] of DEMO_CASES.entries()) {
    const files: UploadFile[] = await Promise.all(demo.photos.map(async (_p, i) => ({ bytes: await photos.get(`${caseIndex}/${i}`), name: `IMG_${1000 + caseIndex * 10 + i}.jpg` })));
    const created = await api.upload<CaseBody>('/api/v1/cases', clinician, { case: JSON.stringify(demo.input), kinds: JSON.stringify(demo.photos.map((p) => p.kind)) }, files);
    if (created.queue !== demo.queue) throw new Error(`${demo.input.patientRef} went to queue ${created.queue}, not ${demo.queue}`);
    let photoCount = files.length;

    /** Claims the next case of the queue as this reviewer; the demo's order makes it this case. */
    const claim = async (by: ReviewerKey) => {
      const claimed = await api.json<CaseBody | null>('POST', `/api/v1/queues/${demo.queue}/claim`, tokenOf(by));
      if (claimed?.id !== created.id) throw new Error(`${by} claimed ${claimed ? `another case (${claimed.id})` : 'nothing'} instead of ${demo.input.patientRef}`);
    };

    for (const [s, step] of demo.steps.entries()) {
      switch (step.do) {
        case 'opinion':
          await claim(step.by);
          await api.json('POST', `/api/v1/cases/${created.id}/opinions`, tokenOf(step.by), step.opinion);
          break;
        case 'claim':
          await claim(step.by);
          break;
        case 'ask':
          await claim(step.by);
          await api.json('POST', `/api/v1/cases/${created.id}/messages`, tokenOf(step.by), { body: step.body, requestInfo: true });
          break;
        case 'reply':
          await api.json('POST', `/api/v1/cases/${created.id}/messages`, clinician, { body: step.body });
          break;
        case 'follow-up': {
          const link = await api.json<{ url: string; token: string }>('POST', `/api/v1/cases/${created.id}/follow-up-links`, clinician, {});
          if (step.photos.length > 0) {
            const sent = await Promise.all(step.photos.map(async (_p, i) => ({ bytes: await photos.get(`${caseIndex}/f${s}/${i}`), name: `photo-${i + 1}.jpg` })));
            // The patient's phone: no account, only the link's token.
            await api.upload(`/f/${link.token}/photos`, null, {}, sent);
            photoCount += sent.length;
          }
          break;
        }
        case 'close':
          await api.json('POST', `/api/v1/cases/${created.id}/close`, clinician);
          break;
      }
    }

    const final = await api.json<CaseBody>('GET', `/api/v1/cases/${created.id}`, clinician);
    if (final.status !== demo.expect) throw new Error(`${demo.input.patientRef} ended ${final.status}, not ${demo.expect}`);
    report.cases.push({ patientRef: demo.input.patientRef, id: created.id, status: final.status, queue: final.queue, photos: photoCount });
    report.photos += photoCount;
    log(`  ${demo.input.patientRef}  ${final.status.padEnd(10)} ${final.queue.padEnd(18)} ${photoCount} photo${photoCount === 1 ? '' : 's'}`);
  }
  return report;
}
