// Where the service's time goes under upload load:
//   npx tsx scripts/bench/profile.ts [concurrency] [count]
// runs the service with a V8 CPU profile (node --cpu-prof) and an event-loop delay monitor, uploads
// the generated photos, then prints the event-loop delay and the functions with the most self time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureGeneratedPhotos } from '../generate-photos.js';
import { clinicianToken, runUploads, startService } from './service.js';

const concurrency = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 12);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-prof-'));
const photos = (await ensureGeneratedPhotos()).map((file) => ({ name: file, bytes: fs.readFileSync(file), heic: false }));
const service = await startService({}, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', new URL('./loop-delay.mjs', import.meta.url).href]);
const { token } = await clinicianToken(service);
await runUploads(service, token, photos, photos.length, 1);
const result = await runUploads(service, token, photos, count, concurrency);
process.stdout.write(`${concurrency}x${count}: ${result.perSecond.toFixed(2)} photos/s, p50 ${result.p50Ms.toFixed(0)} ms, errors ${result.errors}\n`);
await service.stop();
const delay = fs.readFileSync(service.logFile, 'utf8').match(/\{"eventLoopDelayMs".*\}/);
process.stdout.write(`event loop delay in the service: ${delay ? delay[0] : 'not recorded'}\n`);

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${lineNumber}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + (self.get(node.id) ?? 0));
}
const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
for (const [key, us] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  process.stdout.write(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}\n`);
}
process.stdout.write(`profile: ${path.join(dir, file)}\n`);
