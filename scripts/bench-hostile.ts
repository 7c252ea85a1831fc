// What hostile uploads cost the service: each file below is sent to `src/server.ts` (run as `npm start`
// runs it) while a probe asks GET /healthz every 10 ms, so the table shows for each one the answer, the
// time to it, the process's peak memory and CPU time while it was handled, and the slowest probe (how
// long other users' requests waited). Also: three 100 MP WebPs at once, the CPU spent after a client
// hangs up 1 s into an upload of 20 photos, a follow-up link with one photo left that is sent 20, and
// (with --slow) idle and dribbling connections.
//
//   npm run bench:hostile            # about a minute
//   npm run bench:hostile -- --slow  # plus the connection tests (about two minutes more)
//   npm run bench:hostile -- --only=webp  # just the parts whose name holds the text
import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import { flatWebp, pngIccpBomb, pngItxtBomb, pngZtxtBomb, progressiveJpegWithScans } from '../test/helpers/hostile-files.js';
import { ensureGeneratedPhotos } from './generate-photos.js';
import { api, clinicianToken, startService, type RunningService } from './bench/service.js';

const slow = process.argv.includes('--slow');
/** `--only=webp`: just the parts whose name holds this text (case-insensitive). */
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).toLowerCase();
const wanted = (name: string) => only === undefined || name.toLowerCase().includes(only);
const GiB = 1024 ** 3;
const progress = (line: string) => process.stderr.write(`[hostile] ${line}\n`);

const CASE_JSON = JSON.stringify({
  patientRef: 'HOSTILE-1',
  ageYears: 40,
  sex: 'female',
  bodySite: 'forearm',
  history: 'Benchmark of hostile inputs.',
  question: 'None.',
  queue: 'general',
});
const BOUNDARY = '----derm-hostile-boundary';

function multipart(fields: Record<string, string>, photos: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  photos.forEach((bytes, i) => {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; filename="p${i}"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** utime + stime of the process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Resets VmHWM to the current RSS, so the next reading is the peak of what follows. */
function resetPeak(pid: number): void {
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** GET /healthz every 10 ms on its own connection; reports the slowest answer since the last reset. */
function startProbe(baseUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let worst = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        http.get(`${baseUrl}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', () => resolve());
      });
      worst = Math.max(worst, performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    reset: () => void (worst = 0),
    worst: () => worst,
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
    },
  };
}

interface Row {
  input: string;
  status: number;
  code: string;
  ms: number;
  /** RSS when the upload started (the peak was reset to it). */
  startRssMb: number;
  peakRssMb: number;
  cpuS: number;
  worstProbeMs: number;
}

function post(service: RunningService, path: string, token: string | null, body: Buffer, signal?: AbortSignal): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${service.baseUrl}${path}`, {
      method: 'POST',
      signal,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(body.length),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let code = '';
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString()) as { code?: string }).code ?? '';
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(service: RunningService, probe: ReturnType<typeof startProbe>, input: string, send: () => Promise<{ status: number; code: string }>): Promise<Row> {
  await settle(service);
  resetPeak(service.pid);
  const startRssMb = peakRssMb(service.pid);
  probe.reset();
  const cpuBefore = cpuSeconds(service.pid);
  const started = performance.now();
  let result: { status: number; code: string };
  try {
    result = await send();
  } catch (err) {
    result = { status: 0, code: (err as Error).message.slice(0, 30) };
  }
  const ms = performance.now() - started;
  // The photo's own work may go on after the answer (the old code kept decoding): count it too.
  await settle(service);
  const row = { input, ...result, ms, startRssMb, peakRssMb: peakRssMb(service.pid), cpuS: cpuSeconds(service.pid) - cpuBefore, worstProbeMs: probe.worst() };
  progress(`${input}: ${row.status} ${row.code} in ${ms.toFixed(0)} ms, RSS ${startRssMb.toFixed(0)} -> peak ${row.peakRssMb.toFixed(0)} MB, ${row.cpuS.toFixed(2)} s CPU, worst probe ${row.worstProbeMs.toFixed(0)} ms`);
  return row;
}

/** Waits until the service has used less than 100 ms of CPU over 500 ms (the probe alone takes about 30): the last photo is done. */
async function settle(service: RunningService, maxMs = 120_000): Promise<number> {
  const started = performance.now();
  let last = cpuSeconds(service.pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(service.pid);
    if (now - last < 0.1 || performance.now() - started > maxMs) return (performance.now() - started) / 1000;
    last = now;
  }
}

async function connectionTest(service: RunningService): Promise<Record<string, number>> {
  const { port } = new URL(service.baseUrl);
  const groups = { idle: [] as net.Socket[], dribbleHeaders: [] as net.Socket[], dribbleBody: [] as net.Socket[] };
  const open = (kind: keyof typeof groups) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    groups[kind].push(socket);
    return socket;
  };
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < 100; i++) {
    open('idle');
    const headers = open('dribbleHeaders');
    const head = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ';
    let at = 0;
    timers.push(setInterval(() => headers.write(head[at++ % head.length]!), 5000));
    const body = open('dribbleBody');
    body.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"`);
    timers.push(setInterval(() => body.write('a'), 5000));
  }
  const stillOpen = () => Object.fromEntries(Object.entries(groups).map(([kind, sockets]) => [kind, sockets.filter((s) => !s.destroyed && !s.readableEnded).length]));
  const result: Record<string, number> = {};
  for (const seconds of [35, 95]) {
    await new Promise((r) => setTimeout(r, (seconds - (seconds === 35 ? 0 : 35)) * 1000));
    for (const [kind, count] of Object.entries(stillOpen())) result[`${kind}OpenAfter${seconds}s`] = count;
    progress(`after ${seconds} s: ${JSON.stringify(stillOpen())} of 100 each still open`);
  }
  for (const t of timers) clearInterval(t);
  for (const sockets of Object.values(groups)) for (const s of sockets) s.destroy();
  return result;
}

async function main() {
  progress('building hostile files');
  const inputs: [string, Buffer][] = [
    ['PNG, iCCP inflating to 1 GiB', pngIccpBomb(GiB)],
    ['PNG, iCCP inflating to 3.5 GiB', pngIccpBomb(3.5 * GiB)],
    ['PNG, zTXt inflating to 1 GiB', pngZtxtBomb(GiB)],
    ['PNG, iTXt inflating to 1 GiB', pngItxtBomb(GiB)],
    ['JPEG, 100 MP progressive, 2000 scans', progressiveJpegWithScans(10_000, 10_000, 2000)],
    ['WebP, 100 MP', await flatWebp(10_000, 10_000)],
    ['WebP, 100 MP with alpha', await flatWebp(10_000, 10_000, true)],
  ];
  for (const [name, bytes] of inputs) progress(`${name}: ${(bytes.length / 1024).toFixed(0)} KB`);
  const phone = fs.readFileSync((await ensureGeneratedPhotos(progress))[0]!);

  // A fresh service for each part, so that one input's leftovers do not count against the next.
  const rows: Row[] = [];
  const extra: Record<string, number> = {};
  const withService = async (job: (service: RunningService, probe: ReturnType<typeof startProbe>, token: string) => Promise<void>) => {
    const service = await startService({ MAX_DECODE_SECONDS: '15' });
    const probe = startProbe(service.baseUrl);
    try {
      await job(service, probe, (await clinicianToken(service)).token);
    } finally {
      await probe.stop();
      await service.stop();
    }
  };

  for (const [name, bytes] of inputs.filter(([name]) => wanted(name))) {
    await withService(async (service, probe, token) => {
      rows.push(await measure(service, probe, name, () => post(service, '/api/v1/cases', token, multipart({ case: CASE_JSON }, [bytes]))));
    });
  }

  // Memory per photo in flight: three of the 100 MP WebPs sent at once.
  const webp = inputs.find(([name]) => name === 'WebP, 100 MP')![1];
  if (wanted('3 x WebP 100 MP at once')) await withService(async (service, probe, token) => {
    rows.push(
      await measure(service, probe, '3 x WebP 100 MP at once', async () => {
        const results = await Promise.all([0, 1, 2].map(() => post(service, '/api/v1/cases', token, multipart({ case: CASE_JSON }, [webp]))));
        return { status: Math.max(...results.map((r) => r.status)), code: results.map((r) => r.status).join('/') };
      }),
    );
  });

  // A client that hangs up one second into an upload of 20 phone photos: how much CPU the service spends after.
  if (wanted('client left')) await withService(async (service, _probe, token) => {
    await settle(service);
    const abort = new AbortController();
    const sent = post(service, '/api/v1/cases', token, multipart({ case: CASE_JSON }, Array<Buffer>(20).fill(phone)), abort.signal).catch(() => null);
    await new Promise((r) => setTimeout(r, 1000));
    abort.abort();
    await sent;
    const cpuAtAbort = cpuSeconds(service.pid);
    extra.secondsBusyAfterClientLeft = await settle(service);
    extra.cpuSecondsAfterClientLeft = cpuSeconds(service.pid) - cpuAtAbort;
    progress(`client left 1 s into 20 photos: the service stayed busy ${extra.secondsBusyAfterClientLeft.toFixed(1)} s, ${extra.cpuSecondsAfterClientLeft.toFixed(2)} s CPU`);
  });

  // A follow-up link with one photo left, sent 20 phone photos.
  if (wanted('follow-up link')) await withService(async (service, probe, token) => {
    const created = await post(service, '/api/v1/cases', token, multipart({ case: CASE_JSON }, [phone]));
    if (created.status !== 201) throw new Error(`could not open the case for the link: ${created.status}`);
    const cases = await api<{ items: { id: string }[] }>(service, 'GET', '/api/v1/cases?limit=1', token);
    const link = await api<{ token: string }>(service, 'POST', `/api/v1/cases/${cases.body.items[0]!.id}/follow-up-links`, token, { maxPhotos: 1 });
    rows.push(await measure(service, probe, 'follow-up link with 1 left, 20 photos', () => post(service, `/f/${link.body.token}/photos`, null, multipart({}, Array<Buffer>(20).fill(phone)))));
  });

  if (slow) await withService(async (service) => void Object.assign(extra, await connectionTest(service)));

  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`${'input'.padEnd(42)}${pad('status', 7)} ${'code'.padEnd(22)}${pad('ms', 8)}${pad('RSS MB', 8)}${pad('peak MB', 9)}${pad('CPU s', 8)}${pad('probe ms', 10)}`);
  for (const r of rows) {
    console.log(`${r.input.padEnd(42)}${pad(r.status, 7)} ${r.code.padEnd(22)}${pad(r.ms.toFixed(0), 8)}${pad(r.startRssMb.toFixed(0), 8)}${pad(r.peakRssMb.toFixed(0), 9)}${pad(r.cpuS.toFixed(2), 8)}${pad(r.worstProbeMs.toFixed(0), 10)}`);
  }
  console.log(JSON.stringify({ rows, ...extra }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
