// The benchmark: the service measured against the bare image pipeline on the same photos, its peak
// memory under load, and claim/list latency with 100 000 queued cases. Prints a table with the targets,
// then, as its last line, one JSON object with the headline figures.
//
//   npm run bench                 # the full run (several minutes)
//   npm run bench -- --quick      # the same parts with fewer photos, under 3 minutes on 2 cores
//   npm run bench -- --strict     # exit 1 when a target is missed
//   npm run bench -- --postgres   # also the claim/list part on a throwaway PostgreSQL (combines with the others)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareJob, runBare, type BenchPhoto } from './bench/bare.js';
import { CLAIM_WARM_UP, measureClaims, measureList, seedQueue, seedQueuePostgres, type ClaimResult, type Seeded } from './bench/claims.js';
import { withPostgresService } from './bench/postgres.js';
import { clinicianToken, runUploads, sampleRss, startService, uploadJob, type RunningService, type UploadRunResult } from './bench/service.js';
import { combine, median, runAlternating, runAtConcurrency, type RunResult } from './bench/stats.js';
import { ensureGeneratedPhotos } from './generate-photos.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEIC_FIXTURE = path.resolve(ROOT, '../shared/fixtures/real/IMG_5195.HEIC');

const quick = process.argv.includes('--quick');
const strict = process.argv.includes('--strict');
const postgres = process.argv.includes('--postgres');
const CONCURRENCY = [1, 2, 8, 16] as const;
// Multiples of the photo set (5 JPEGs + 1 HEIC) so that every level sees the same mix.
const PHOTOS_PER_LEVEL: Record<(typeof CONCURRENCY)[number], number> = quick ? { 1: 24, 2: 24, 8: 32, 16: 48 } : { 1: 30, 2: 48, 8: 96, 16: 126 };
const SEEDED_CASES = 100_000;
const CLAIMS = quick ? 200 : 1000;
const LIST_REQUESTS = quick ? 40 : 200;

const TARGETS = {
  throughputRatio: { op: '>=', value: 0.9 },
  latencyRatioP50: { op: '<=', value: 1.2 },
  peakRssMb: { op: '<=', value: 600 },
  claimP99Ms: { op: '<=', value: 20 },
  errors: { op: '<=', value: 0 },
} as const;
/** With --postgres: the claim target holds on PostgreSQL too. */
const POSTGRES_TARGETS = { claimP99MsPostgres: TARGETS.claimP99Ms } as const;

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function loadPhotos(files: string[]): BenchPhoto[] {
  const photos = files.map((file) => ({ name: path.basename(file), bytes: fs.readFileSync(file), heic: false }));
  if (fs.existsSync(HEIC_FIXTURE)) photos.push({ name: 'IMG_5195.HEIC', bytes: fs.readFileSync(HEIC_FIXTURE), heic: true });
  else progress(`HEIC fixture not found at ${HEIC_FIXTURE}: JPEGs only`);
  return photos;
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const pad = (s: string, n: number) => s.padStart(n);
// Wider with --postgres, for the PostgreSQL rows' longer labels.
const LABEL_WIDTH = postgres ? 40 : 28;

function runRow(label: string, r: RunResult): string {
  return `${label.padEnd(LABEL_WIDTH)}${pad(String(r.concurrency), 5)}${pad(String(r.count), 7)}${pad(fmt(r.perSecond, 2), 10)}${pad(fmt(r.p50Ms, 0), 9)}${pad(fmt(r.p99Ms, 0), 9)}${pad(String(r.errors), 8)}`;
}

interface QueueRun {
  seedMs: number;
  claims: ClaimResult;
  lists: { label: string; result: RunResult }[];
}

/**
 * 4. Claims and case lists with 100 000 queued cases of `referrer`, seeded by `seed` into the service's
 * database; `dialect` goes into the list rows' labels (none for SQLite, as ever).
 */
async function runQueue(
  service: RunningService,
  referrer: { token: string; userId: string },
  seed: (referrerId: string, cases: number, reviewers: number) => Seeded | Promise<Seeded>,
  dialect = '',
): Promise<QueueRun> {
  const seeded = await seed(referrer.userId, SEEDED_CASES, Math.max(300, CLAIMS + CLAIM_WARM_UP + 1));
  const on = dialect ? ` on ${dialect}` : '';
  progress(`seeded ${seeded.cases} queued cases and ${seeded.reviewerTokens.length} reviewers${on} in ${Math.round(seeded.seedMs)} ms`);
  const claims = await measureClaims(service, seeded.reviewerTokens, CLAIMS);
  progress(`claims${on}: ${JSON.stringify(claims.statuses)}${claims.missing ? ' (the claim route does not exist in this build)' : ''}`);
  const reviewer = seeded.reviewerTokens[seeded.reviewerTokens.length - 1]!;
  const label = (base: string, detail?: string) => {
    const inParens = [detail, dialect].filter(Boolean).join(', ');
    return inParens ? `${base} (${inParens})` : base;
  };
  const lists = [
    { label: label('GET /cases', 'reviewer'), result: await measureList(service, reviewer, LIST_REQUESTS) },
    { label: label('GET /cases?status=queued'), result: await measureList(service, reviewer, LIST_REQUESTS, '&status=queued') },
    { label: label('GET /cases', 'referrer'), result: await measureList(service, referrer.token, LIST_REQUESTS) },
  ];
  return { seedMs: seeded.seedMs, claims, lists };
}

async function main() {
  const started = performance.now();
  progress(`${quick ? 'quick' : 'full'} run on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const photos = loadPhotos(await ensureGeneratedPhotos(progress));
  progress(`photos: ${photos.map((p) => `${p.name} ${(p.bytes.length / 1e6).toFixed(1)} MB`).join(', ')}`);

  // 1. to 3. The bare pipeline in this process and the service over HTTP, level by level, in
  // alternation, so that load from elsewhere on the machine hits both alike.
  let service: RunningService | null = await startService();
  const bare = new Map<number, RunResult>();
  const uploads = new Map<number, UploadRunResult>();
  // Serial latencies of each photo, for the per-photo table.
  const perPhoto = { bare: new Map<string, number[]>(), service: new Map<string, number[]>() };
  let peakRssMb = NaN;
  let claims: ClaimResult | null = null;
  let lists: { label: string; result: RunResult }[] = [];
  let seedMs = 0;
  try {
    progress(`service pid ${service.pid} at ${service.baseUrl}, DATA_DIR ${service.dataDir}`);
    const clinician = await clinicianToken(service);
    // Warm-up on every photo: JIT, sharp, the HEIC decoder.
    await runBare(photos, photos.length, 1);
    const warm = await runUploads(service, clinician.token, photos, photos.length, 1);
    if (warm.errors) progress(`warm-up errors: ${warm.errorSamples.join('; ')}`);
    for (const c of CONCURRENCY) {
      if (c === 1) {
        // Serial latencies in alternation, photo by photo: the latency ratio compares like with like.
        const upload = uploadJob(service, clinician.token, photos);
        const timed = (series: 'bare' | 'service', job: (i: number) => Promise<void>) => async (i: number) => {
          const t0 = performance.now();
          await job(i);
          perPhoto[series].get(photos[i % photos.length]!.name)!.push(performance.now() - t0);
        };
        for (const photo of photos) for (const series of ['bare', 'service'] as const) perPhoto[series].set(photo.name, []);
        const [bareSerial, serviceSerial] = await runAlternating(PHOTOS_PER_LEVEL[1], timed('bare', bareJob(photos)), timed('service', upload.run));
        bare.set(1, bareSerial);
        uploads.set(1, { ...serviceSerial, phaseP50Ms: upload.phaseP50Ms() });
        progress(runRow('bare pipeline', bareSerial));
      } else {
        // Bare, service, bare, service, each on half of the photos: drift in the machine's speed
        // during the level hits both alike.
        const half = PHOTOS_PER_LEVEL[c] / 2;
        const upload = uploadJob(service, clinician.token, photos);
        const rss = c === 16 ? sampleRss(service) : null;
        const runs: RunResult[] = [];
        for (const offset of [0, half]) {
          runs.push(await runAtConcurrency(half, c, (i) => bareJob(photos)(offset + i)));
          runs.push(await runAtConcurrency(half, c, (i) => upload.run(offset + i)));
        }
        if (rss) peakRssMb = rss.stop();
        bare.set(c, combine(runs[0]!, runs[2]!));
        uploads.set(c, { ...combine(runs[1]!, runs[3]!), phaseP50Ms: upload.phaseP50Ms() });
        progress(runRow('bare pipeline', bare.get(c)!));
      }
      const r = uploads.get(c)!;
      progress(runRow('service (HTTP upload)', r) + (r.errors ? `  ${r.errorSamples.join('; ')}` : ''));
    }

    // 4. Claims and case lists with 100 000 queued cases.
    const sqliteService = service;
    ({ seedMs, claims, lists } = await runQueue(service, clinician, (referrerId, cases, reviewers) => seedQueue(sqliteService, referrerId, cases, reviewers)));
  } finally {
    const code = await service.stop();
    if (code !== 0) progress(`the service exited with code ${code} (log: ${service.logFile})`);
    else fs.rmSync(service.dataDir, { recursive: true, force: true });
    service = null;
  }

  // 5. With --postgres, part 4 again with the service on a throwaway PostgreSQL (after the SQLite one
  // has stopped, so that the two do not share the cores). A failure here leaves the SQLite figures
  // standing: the PostgreSQL ones are null and the run exits 1.
  let pgRun: QueueRun | null = null;
  if (postgres) {
    try {
      pgRun = await withPostgresService(async ({ service: pgService, url }) => {
        const referrer = await clinicianToken(pgService);
        return runQueue(pgService, referrer, (referrerId, cases, reviewers) => seedQueuePostgres(url, referrerId, cases, reviewers), 'PostgreSQL');
      }, progress);
    } catch (err) {
      progress(`the PostgreSQL part failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    }
  }

  // The figures.
  let best: (typeof CONCURRENCY)[number] = 1;
  for (const c of CONCURRENCY) if (uploads.get(c)!.perSecond > uploads.get(best)!.perSecond) best = c;
  const throughputRatio = uploads.get(best)!.perSecond / bare.get(best)!.perSecond;
  const bareBest = Math.max(...[...bare.values()].map((r) => r.perSecond));
  const latencyRatioP50 = uploads.get(1)!.p50Ms / bare.get(1)!.p50Ms;
  const claimP99Ms = claims && !claims.missing ? claims.p99Ms : null;
  const pgClaims = pgRun && !pgRun.claims.missing ? pgRun.claims : null;
  const pgLists = pgRun?.lists ?? [];
  const queueErrors = (c: ClaimResult | null, l: { result: RunResult }[]) => (c && !c.missing ? c.errors : 0) + l.reduce((n, x) => n + x.result.errors, 0);
  // Every error of the run, the PostgreSQL part's included.
  const errors = [...uploads.values()].reduce((n, r) => n + r.errors, 0) + queueErrors(claims, lists) + queueErrors(pgClaims, pgLists);
  const figures: Record<string, number | null> = { throughputRatio, latencyRatioP50, peakRssMb, claimP99Ms, errors, claimP99MsPostgres: pgClaims ? pgClaims.p99Ms : null };
  const targets: Record<string, { op: '>=' | '<='; value: number }> = postgres ? { ...TARGETS, ...POSTGRES_TARGETS } : TARGETS;

  const out: string[] = [];
  out.push('');
  out.push(`Benchmark (${quick ? 'quick' : 'full'}): ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}, load average at start ${os.loadavg()[0]!.toFixed(2)}`);
  out.push(`${'part'.padEnd(LABEL_WIDTH)}${pad('conc', 5)}${pad('count', 7)}${pad('photos/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}`);
  for (const c of CONCURRENCY) out.push(runRow('bare pipeline (in-process)', bare.get(c)!));
  for (const c of CONCURRENCY) out.push(runRow('service (HTTP upload)', uploads.get(c)!));
  if (claims) out.push(runRow(`claim (100k queued)${claims.missing ? ' [no route]' : ''}`, claims).replace(/photos\/s/, 'req/s'));
  for (const l of lists) out.push(runRow(l.label, l.result));
  if (pgRun) out.push(runRow(`claim (100k queued, PostgreSQL)${pgRun.claims.missing ? ' [no route]' : ''}`, pgRun.claims));
  for (const l of pgLists) out.push(runRow(l.label, l.result));
  if (postgres && !pgRun) out.push('PostgreSQL part: failed (see above)');
  out.push('(photos/s column is requests/s for the claim and list rows)');
  // Where a serial upload's time goes, from the service's Server-Timing header; the rest is HTTP on
  // both sides (the client sending the body, the response) and the audit row.
  const serial = uploads.get(1)!;
  const medianOf = (values: number[]) => median([...values].sort((a, b) => a - b));
  out.push('');
  out.push(`serial, per photo (median ms): ${photos.map((p) => `${p.name} bare ${fmt(medianOf(perPhoto.bare.get(p.name)!), 0)} / service ${fmt(medianOf(perPhoto.service.get(p.name)!), 0)}`).join('; ')}`);
  const phases = Object.entries(serial.phaseP50Ms);
  const inPhases = phases.reduce((sum, [, ms]) => sum + ms, 0);
  out.push(`serial upload, median ms per phase: ${phases.map(([name, ms]) => `${name} ${fmt(ms, 1)}`).join(', ')}; rest ${fmt(serial.p50Ms - inPhases, 1)} (bare pipeline p50 ${fmt(bare.get(1)!.p50Ms, 1)})`);
  out.push('');
  out.push(`${'figure'.padEnd(20)}${pad('value', 10)}${pad('target', 10)}  result`);
  const missed: string[] = [];
  for (const [name, target] of Object.entries(targets)) {
    const value = figures[name] ?? null;
    const ok = value === null ? null : target.op === '>=' ? value >= target.value : value <= target.value;
    if (ok === false) missed.push(name);
    out.push(`${name.padEnd(20)}${pad(fmt(value, name === 'errors' ? 0 : 2), 10)}${pad(`${target.op === '>=' ? '≥' : '≤'} ${target.value}`, 10)}  ${ok === null ? 'not measured' : ok ? 'ok' : 'MISSED'}`);
  }
  out.push(`best service concurrency: ${best}; service/bare at the bare pipeline's best level: ${fmt(uploads.get(best)!.perSecond / bareBest, 2)}; DB seed ${Math.round(seedMs)} ms${pgRun ? ` (PostgreSQL ${Math.round(pgRun.seedMs)} ms, ANALYZE included)` : ''}; total ${Math.round((performance.now() - started) / 1000)} s`);
  process.stdout.write(`${out.join('\n')}\n`);

  const round = (n: number | null) => (n === null || Number.isNaN(n) ? null : Math.round(n * 1000) / 1000);
  const json = {
    throughputRatio: round(throughputRatio),
    latencyRatioP50: round(latencyRatioP50),
    peakRssMb: round(peakRssMb),
    claimP99Ms: round(claimP99Ms),
    errors,
    bestConcurrency: best,
    throughputRatioVsBareBest: round(uploads.get(best)!.perSecond / bareBest),
    servicePhotosPerSecond: round(uploads.get(best)!.perSecond),
    barePhotosPerSecond: round(bare.get(best)!.perSecond),
    serviceP50Ms: round(uploads.get(1)!.p50Ms),
    bareP50Ms: round(bare.get(1)!.p50Ms),
    claimP50Ms: round(claims && !claims.missing ? claims.p50Ms : null),
    listP99Ms: round(Math.max(...lists.map((l) => l.result.p99Ms))),
    ...(postgres
      ? {
          claimP99MsPostgres: round(pgClaims ? pgClaims.p99Ms : null),
          claimP50MsPostgres: round(pgClaims ? pgClaims.p50Ms : null),
          listP99MsPostgres: round(pgLists.length ? Math.max(...pgLists.map((l) => l.result.p99Ms)) : null),
        }
      : {}),
    quick,
    cores: os.cpus().length,
    missed,
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
  if (strict && missed.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
