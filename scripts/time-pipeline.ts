// Per-photo time of the sanitizing pipeline alone (sanitizePhoto, in-process, one photo at a time) on the
// benchmark's phone-like photos and the iPhone HEIC: what a clinician waits for, before storage and HTTP.
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
process.stdout.write(`photo                          pixels        MB   median ms   min ms\n`);
for (const file of files) {
  const input = fs.readFileSync(file);
  const { width = 0, height = 0 } = await sharp(input).metadata();
  await sanitizePhoto(input, { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 }); // warm-up: JIT, libvips, the HEIC worker
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await sanitizePhoto(input, { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const name = path.basename(file).padEnd(30);
  const mp = `${((width * height) / 1e6).toFixed(1)} MP`.padEnd(12);
  process.stdout.write(`${name} ${mp} ${(input.length / 1e6).toFixed(1).padStart(5)} ${times[RUNS >> 1]!.toFixed(0).padStart(10)} ${times[0]!.toFixed(0).padStart(8)}\n`);
}
await closeHeicDecoder();
