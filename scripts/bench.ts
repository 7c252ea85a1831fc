// The benchmark: the service measured against the bare re-encode pipeline (bench/bare.ts: image,
// thumbnail, display copy) on the same photos, in alternation in one run:
//   - the whole mix (5 phone JPEGs, orientations 1, 3 and 6, and an iPhone HEIC) at concurrency 1 to 16,
//     with the service's peak memory (its child processes included);
//   - the JPEG mix alone at concurrency 8 (the service keeps a plain JPEG's own image data), what it
//     stored for each JPEG (bytes against the upload's; an upright photo's pixels against the upload's),
//     and what a user would run instead to remove the metadata (exiftool, jpegtran, where installed);
//   - claim/list latency with 100 000 queued cases.
// Prints a table with the targets, then, as its last line, one JSON object with the headline figures.
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
import { measurePeers, PEERS, type PeerResult } from './bench/peers.js';
import { clinicianToken, runUploads, sampleRss, startService, uploadJob, type RssSample, type RunningService, type UploadRunResult } from './bench/service.js';
import { combine, median, runAlternating, runAtConcurrency, type RunResult } from './bench/stats.js';
import { checkStoredPhotos, type StoredCheck } from './bench/stored.js';
import { ensureGeneratedPhotos } from './generate-photos.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEIC_FIXTURE = path.resolve(ROOT, '../shared/fixtures/real/IMG_5195.HEIC');

const quick = process.argv.includes('--quick');
const strict = process.argv.includes('--strict');
const postgres = process.argv.includes('--postgres');
const CONCURRENCY = [1, 2, 8, 16] as const;
// Multiples of the photo set (5 JPEGs + 1 HEIC) so that every level sees the same mix.
const PHOTOS_PER_LEVEL: Record<(typeof CONCURRENCY)[number], number> = quick ? { 1: 24, 2: 24, 8: 32, 16: 48 } : { 1: 30, 2: 48, 8: 96, 16: 126 };
// The JPEG mix alone: a multiple of its 5 photos per series.
const JPEG_MIX = { concurrency: 8, count: quick ? 30 : 60 } as const;
// Photos per peer series (serial, then two at a time).
const PEER_PHOTOS = quick ? 10 : 20;
const SEEDED_CASES = 100_000;
const CLAIMS = quick ? 200 : 1000;
const LIST_REQUESTS = quick ? 40 : 200;

const TARGETS = {
  throughputRatio: { op: '>=', value: 0.9 },
  latencyRatioP50: { op: '<=', value: 1.2 },
  peakRssMb: { op: '<=', value: 600 },
  claimP99Ms: { op: '<=', value: 20 },
  errors: { op: '<=', value: 0 },
  // On the JPEG mix alone.
  jpegThroughputRatio: { op: '>=', value: 3 },
  jpegLatencyRatioP50: { op: '<=', value: 0.5 },
  storedBytesRatioMax: { op: '<=', value: 1 },
  orientation1MeanAbsDiff: { op: '<=', value: 0 },
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
const round = (n: number | null) => (n === null || Number.isNaN(n) ? null : Math.round(n * 1000) / 1000);
// Wider with --postgres, for the PostgreSQL rows' longer labels.
const LABEL_WIDTH = postgres ? 40 : 28;
const FIGURE_WIDTH = 24;

function runRow(label: string, r: RunResult): string {
  return `${label.padEnd(LABEL_WIDTH)}${pad(String(r.concurrency), 5)}${pad(String(r.count), 7)}${pad(fmt(r.perSecond, 2), 10)}${pad(fmt(r.p50Ms, 0), 9)}${pad(fmt(r.p99Ms, 0), 9)}${pad(String(r.errors), 8)}`;
}

/**
 * Bare, service, bare, service, each on half of the jobs: drift in the machine's speed during the level
 * hits both alike. Returns the bare and the service series.
 */
async function alternateHalves(count: number, concurrency: number, bareRun: (i: number) => Promise<void>, serviceRun: (i: number) => Promise<void>): Promise<[RunResult, RunResult]> {
  const half = count / 2;
  const runs: RunResult[] = [];
  for (const offset of [0, half]) {
    runs.push(await runAtConcurrency(half, concurrency, (i) => bareRun(offset + i)));
    runs.push(await runAtConcurrency(half, concurrency, (i) => serviceRun(offset + i)));
  }
  return [combine(runs[0]!, runs[2]!), combine(runs[1]!, runs[3]!)];
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

const higherRss = (a: RssSample | null, b: RssSample) => (a && !(b.totalMb > a.totalMb) ? a : b);
const peerFigures = (result: PeerResult | null) => (result ? { photosPerSecond: round(result.parallel.perSecond), p50Ms: round(result.serial.p50Ms) } : null);

async function main() {
  const started = performance.now();
  progress(`${quick ? 'quick' : 'full'} run on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const jpegFiles = await ensureGeneratedPhotos(progress);
  const photos = loadPhotos(jpegFiles);
  const jpegPhotos = photos.filter((p) => !p.heic);
  progress(`photos: ${photos.map((p) => `${p.name} ${(p.bytes.length / 1e6).toFixed(1)} MB`).join(', ')}`);

  // 1. to 3. The bare pipeline in this process and the service over HTTP, level by level, in
  // alternation, so that load from elsewhere on the machine hits both alike.
  let service: RunningService | null = await startService();
  const bare = new Map<number, RunResult>();
  const uploads = new Map<number, UploadRunResult>();
  // Serial latencies of each photo, for the per-photo table.
  const perPhoto = { bare: new Map<string, number[]>(), service: new Map<string, number[]>() };
  // The highest sample of the service's RSS and its children's, at concurrency 16 and on the JPEG mix.
  let peakRss: RssSample | null = null;
  // The service's own process, without its children: its high-water mark after the upload levels.
  let ownPeakRssMb = NaN;
  let jpegBare: RunResult | null = null;
  let jpegService: UploadRunResult | null = null;
  let losslessShare = NaN;
  let stored: StoredCheck[] = [];
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
        const upload = uploadJob(service, clinician.token, photos);
        const rss = c === 16 ? sampleRss(service) : null;
        const [bareRun, serviceRun] = await alternateHalves(PHOTOS_PER_LEVEL[c], c, bareJob(photos), upload.run);
        if (rss) peakRss = higherRss(peakRss, rss.stop());
        bare.set(c, bareRun);
        uploads.set(c, { ...serviceRun, phaseP50Ms: upload.phaseP50Ms() });
        progress(runRow('bare pipeline', bare.get(c)!));
      }
      const r = uploads.get(c)!;
      progress(runRow('service (HTTP upload)', r) + (r.errors ? `  ${r.errorSamples.join('; ')}` : ''));
    }

    // The JPEG mix alone, where the service keeps a plain JPEG's own image data.
    {
      const upload = uploadJob(service, clinician.token, jpegPhotos);
      const rss = sampleRss(service);
      const [bareRun, serviceRun] = await alternateHalves(JPEG_MIX.count, JPEG_MIX.concurrency, bareJob(jpegPhotos), upload.run);
      peakRss = higherRss(peakRss, rss.stop());
      jpegBare = bareRun;
      jpegService = { ...serviceRun, phaseP50Ms: upload.phaseP50Ms() };
      losslessShare = upload.losslessShare();
      ownPeakRssMb = service.peakRssMb();
      progress(runRow('bare pipeline, JPEG mix', jpegBare));
      progress(runRow('service, JPEG mix', jpegService) + (jpegService.errors ? `  ${jpegService.errorSamples.join('; ')}` : ''));
      stored = await checkStoredPhotos(service, clinician.token, jpegPhotos);
      for (const check of stored) if (check.error) progress(`stored ${check.name}: ${check.error}`);
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

  // What a user would run instead, with the service stopped.
  const peers = await measurePeers(jpegFiles, PEER_PHOTOS);
  for (const peer of PEERS) {
    const result = peers[peer.name];
    if (result) progress(`${runRow(peer.label, result.serial)}\n[bench] ${runRow(peer.label, result.parallel)}`);
    else progress(`${peer.label}: not installed`);
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
  const peakRssMb = peakRss ? peakRss.totalMb : NaN;
  let best: (typeof CONCURRENCY)[number] = 1;
  for (const c of CONCURRENCY) if (uploads.get(c)!.perSecond > uploads.get(best)!.perSecond) best = c;
  const throughputRatio = uploads.get(best)!.perSecond / bare.get(best)!.perSecond;
  const bareBest = Math.max(...[...bare.values()].map((r) => r.perSecond));
  const latencyRatioP50 = uploads.get(1)!.p50Ms / bare.get(1)!.p50Ms;
  const claimP99Ms = claims && !claims.missing ? claims.p99Ms : null;
  const pgClaims = pgRun && !pgRun.claims.missing ? pgRun.claims : null;
  const pgLists = pgRun?.lists ?? [];
  const queueErrors = (c: ClaimResult | null, l: { result: RunResult }[]) => (c && !c.missing ? c.errors : 0) + l.reduce((n, x) => n + x.result.errors, 0);
  // Every error of the service in the run, the JPEG mix's and the PostgreSQL part's included (the peers are not the service).
  const errors =
    [...uploads.values(), ...(jpegService ? [jpegService] : [])].reduce((n, r) => n + r.errors, 0) +
    stored.filter((check) => check.error).length +
    queueErrors(claims, lists) +
    queueErrors(pgClaims, pgLists);
  const medianOf = (values: number[]) => median([...values].sort((a, b) => a - b));
  const jpegSerialP50 = (series: 'bare' | 'service') => medianOf(jpegPhotos.flatMap((p) => perPhoto[series].get(p.name)!));
  const jpegLatencyRatioP50 = jpegSerialP50('service') / jpegSerialP50('bare');
  const jpegThroughputRatio = jpegService && jpegBare ? jpegService.perSecond / jpegBare.perSecond : NaN;
  const storedOk = stored.filter((check) => !check.error);
  const storedBytesRatioMax = storedOk.length ? Math.max(...storedOk.map((check) => check.bytesRatio)) : null;
  const upright = storedOk.filter((check) => check.meanAbsDiff !== null).map((check) => check.meanAbsDiff!);
  // NaN (sizes differ) stays NaN, which misses the target.
  const orientation1MeanAbsDiff = upright.length ? upright.reduce((worst, d) => (Number.isNaN(d) || d > worst ? d : worst), 0) : null;
  const figures: Record<string, number | null> = {
    throughputRatio,
    latencyRatioP50,
    peakRssMb,
    claimP99Ms,
    errors,
    jpegThroughputRatio,
    jpegLatencyRatioP50,
    storedBytesRatioMax,
    orientation1MeanAbsDiff,
    claimP99MsPostgres: pgClaims ? pgClaims.p99Ms : null,
  };
  const targets: Record<string, { op: '>=' | '<='; value: number }> = postgres ? { ...TARGETS, ...POSTGRES_TARGETS } : TARGETS;

  const out: string[] = [];
  out.push('');
  out.push(`Benchmark (${quick ? 'quick' : 'full'}): ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, node ${process.version}, load average at start ${os.loadavg()[0]!.toFixed(2)}`);
  out.push(`${'part'.padEnd(LABEL_WIDTH)}${pad('conc', 5)}${pad('count', 7)}${pad('photos/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}`);
  for (const c of CONCURRENCY) out.push(runRow('bare pipeline (in-process)', bare.get(c)!));
  for (const c of CONCURRENCY) out.push(runRow('service (HTTP upload)', uploads.get(c)!));
  if (jpegBare) out.push(runRow('bare pipeline, JPEG mix', jpegBare));
  if (jpegService) out.push(runRow('service, JPEG mix', jpegService));
  for (const peer of PEERS) {
    const result = peers[peer.name];
    if (result) out.push(runRow(peer.label, result.serial), runRow(peer.label, result.parallel));
    else out.push(`${peer.label.padEnd(LABEL_WIDTH)}  not installed`);
  }
  if (claims) out.push(runRow(`claim (100k queued)${claims.missing ? ' [no route]' : ''}`, claims).replace(/photos\/s/, 'req/s'));
  for (const l of lists) out.push(runRow(l.label, l.result));
  if (pgRun) out.push(runRow(`claim (100k queued, PostgreSQL)${pgRun.claims.missing ? ' [no route]' : ''}`, pgRun.claims));
  for (const l of pgLists) out.push(runRow(l.label, l.result));
  if (postgres && !pgRun) out.push('PostgreSQL part: failed (see above)');
  out.push('(photos/s column is requests/s for the claim and list rows; the JPEG mix is the phone JPEGs without the HEIC; exiftool and');
  out.push(' jpegtran run over the JPEG mix, one process per photo: they only remove metadata, neither turns a rotated photo upright,');
  out.push(' makes a thumbnail or display copy, or verifies its output)');
  // Where a serial upload's time goes, from the service's Server-Timing header; the rest is HTTP on
  // both sides (the client sending the body, the response) and the audit row.
  const serial = uploads.get(1)!;
  out.push('');
  out.push(`serial, per photo (median ms): ${photos.map((p) => `${p.name} bare ${fmt(medianOf(perPhoto.bare.get(p.name)!), 0)} / service ${fmt(medianOf(perPhoto.service.get(p.name)!), 0)}`).join('; ')}`);
  const phases = Object.entries(serial.phaseP50Ms);
  const inPhases = phases.reduce((sum, [, ms]) => sum + ms, 0);
  out.push(
    `serial, JPEG mix (median ms): bare ${fmt(jpegSerialP50('bare'), 0)} / service ${fmt(jpegSerialP50('service'), 0)}; service JPEG mix stored lossless: ${fmt(losslessShare * 100, 0)}% of uploads`,
  );
  out.push(
    `stored per JPEG (one upload each; bytes stored / uploaded, encoding, mean abs. pixel difference for orientation 1): ${stored
      .map((c) => `${c.name} o${c.orientation} ${c.error ? `error: ${c.error}` : `${fmt(c.bytesRatio, 3)} ${c.stored!.encoding}${c.meanAbsDiff === null ? '' : ` MAD ${Number.isNaN(c.meanAbsDiff) ? 'sizes differ' : fmt(c.meanAbsDiff, 3)}`}`}`)
      .join('; ')}`,
  );
  out.push(
    `peak RSS under upload load: ${fmt(peakRssMb, 0)} MB, the service's process ${fmt(peakRss?.ownMb, 0)} MB and ${peakRss?.descendants ?? 0} djpeg/jpegtran children ${fmt(peakRss?.descendantsMb, 0)} MB at that moment (the process alone at most ${fmt(ownPeakRssMb, 0)} MB)`,
  );
  out.push(`serial upload, median ms per phase: ${phases.map(([name, ms]) => `${name} ${fmt(ms, 1)}`).join(', ')}; rest ${fmt(serial.p50Ms - inPhases, 1)} (bare pipeline p50 ${fmt(bare.get(1)!.p50Ms, 1)})`);
  out.push('');
  out.push(`${'figure'.padEnd(FIGURE_WIDTH)}${pad('value', 10)}${pad('target', 10)}  result`);
  const missed: string[] = [];
  for (const [name, target] of Object.entries(targets)) {
    const value = figures[name] ?? null;
    const ok = value === null ? null : target.op === '>=' ? value >= target.value : value <= target.value;
    if (ok === false) missed.push(name);
    out.push(`${name.padEnd(FIGURE_WIDTH)}${pad(fmt(value, name === 'errors' ? 0 : name === 'orientation1MeanAbsDiff' ? 6 : 2), 10)}${pad(`${target.op === '>=' ? '≥' : '≤'} ${target.value}`, 10)}  ${ok === null ? 'not measured' : ok ? 'ok' : 'MISSED'}`);
  }
  out.push(`best service concurrency: ${best}; service/bare at the bare pipeline's best level: ${fmt(uploads.get(best)!.perSecond / bareBest, 2)}; DB seed ${Math.round(seedMs)} ms${pgRun ? ` (PostgreSQL ${Math.round(pgRun.seedMs)} ms, ANALYZE included)` : ''}; total ${Math.round((performance.now() - started) / 1000)} s`);
  process.stdout.write(`${out.join('\n')}\n`);

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
    jpegThroughputRatio: round(jpegThroughputRatio),
    jpegLatencyRatioP50: round(jpegLatencyRatioP50),
    losslessShare: round(losslessShare),
    storedBytesRatioMax: round(storedBytesRatioMax),
    // Unrounded: a few differing samples in 12 MP make a difference far below 0.001.
    orientation1MeanAbsDiff: orientation1MeanAbsDiff === null || Number.isNaN(orientation1MeanAbsDiff) ? null : orientation1MeanAbsDiff,
    jpegServicePhotosPerSecond: round(jpegService ? jpegService.perSecond : null),
    jpegBarePhotosPerSecond: round(jpegBare ? jpegBare.perSecond : null),
    jpegServiceP50Ms: round(jpegSerialP50('service')),
    jpegBareP50Ms: round(jpegSerialP50('bare')),
    peers: Object.fromEntries(PEERS.map((peer) => [peer.name, peerFigures(peers[peer.name])])),
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
