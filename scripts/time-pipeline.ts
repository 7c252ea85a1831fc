// Per-photo time of the sanitizing pipeline alone (sanitizePhoto, in-process, one photo at a time) on the
// benchmark's phone-like photos and the iPhone HEIC: what a clinician waits for, before storage and HTTP,
// and the CPU it takes, the service's own and its jpegtran/djpeg children's (what throughput depends on).
//   npm run time:pipeline
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { closeHeicDecoder } from '../src/photos/heic-decoder.js';
import { sanitizePhoto } from '../src/photos/pipeline.js';
import { ensureGeneratedPhotos } from './generate-photos.js';

const RUNS = 5;
const HEIC = path.resolve(process.cwd(), '../shared/fixtures/real/IMG_5195.HEIC');

const files = await ensureGeneratedPhotos((line) => process.stderr.write(`${line}\n`));
if (fs.existsSync(HEIC)) files.push(HEIC);
/** Clock ticks (10 ms) of a process and of its children that have exited, from /proc (Linux). */
function ticksOf(pid: number | 'self'): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
}

/** Processes started by this one and still running (the JPEG tool runner), whose own children count too. */
function livingChildren(): number[] {
  const tasks = fs.readdirSync('/proc/self/task');
  return tasks.flatMap((tid) => fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

/** CPU milliseconds of this process, its threads and every process under it (Linux; NaN elsewhere). */
function cpuMs(): number {
  try {
    return 10 * (ticksOf('self') + livingChildren().reduce((sum, pid) => sum + ticksOf(pid), 0));
  } catch {
    return NaN;
  }
}

process.stdout.write(`photo                          pixels        MB   encoding    median ms   min ms   CPU ms (median)\n`);
for (const file of files) {
  const input = fs.readFileSync(file);
  const { width = 0, height = 0 } = await sharp(input).metadata();
  await sanitizePhoto(input, { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 }); // warm-up: JIT, libvips, the HEIC worker
  const times: number[] = [];
  const cpu: number[] = [];
  let encoding = '';
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const cpuBefore = cpuMs();
    ({ encoding } = await sanitizePhoto(input, { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 }));
    times.push(performance.now() - started);
    cpu.push(cpuMs() - cpuBefore);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const name = path.basename(file).padEnd(30);
  const mp = `${((width * height) / 1e6).toFixed(1)} MP`.padEnd(12);
  process.stdout.write(`${name} ${mp} ${(input.length / 1e6).toFixed(1).padStart(5)}   ${encoding.padEnd(10)} ${times[RUNS >> 1]!.toFixed(0).padStart(10)} ${times[0]!.toFixed(0).padStart(8)} ${cpu[RUNS >> 1]!.toFixed(0).padStart(17)}\n`);
}
await closeHeicDecoder();
