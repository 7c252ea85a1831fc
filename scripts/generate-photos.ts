// Generates phone-like test photos for the benchmark: 8-12 MP JPEGs with skin-like, textured and
// noisy content (so that decoding and encoding cost what a real photo costs) and the EXIF a phone
// writes (make, model, dates, GPS, orientation). Written once to fixtures/generated/ (git-ignored).
//
//   npx tsx scripts/generate-photos.ts        # prints the files, generating the missing ones
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { prng } from './prng.js';

export const GENERATED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/generated');

export interface PhotoSpec {
  name: string;
  width: number;
  height: number;
  orientation: number;
  seed: number;
  /** JPEG quality; 93 by default, as phones write. */
  quality?: number;
}

// Bump the version when the content changes, so that stale files are not reused.
const VERSION = 'v3';
const SPECS: PhotoSpec[] = [
  { name: 'phone-12mp-a', width: 4032, height: 3024, orientation: 1, seed: 1 },
  { name: 'phone-12mp-portrait', width: 4032, height: 3024, orientation: 6, seed: 2 },
  { name: 'phone-8mp', width: 3264, height: 2448, orientation: 1, seed: 3 },
  { name: 'phone-10mp', width: 3648, height: 2736, orientation: 1, seed: 4 },
  // Its EXIF says iPhone 12, which writes 4032x3024.
  { name: 'phone-12mp-b', width: 4032, height: 3024, orientation: 3, seed: 5 },
];

/** Random RGB pixels of a small image, in a skin-and-lesion palette with some spread. */
function blobs(width: number, height: number, rand: () => number, spread: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const lesion = rand() < 0.08;
    const base = lesion ? [120, 60, 50] : [215, 165, 140];
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.max(0, Math.min(255, base[c]! + (rand() - 0.5) * spread));
  }
  return out;
}

/** One phone-like JPEG, the same bytes for the same spec. */
export async function renderPhoneJpeg(spec: PhotoSpec): Promise<Buffer> {
  const rand = prng(spec.seed);
  const { width, height } = spec;
  // Large smooth shapes (lighting, lesions), then pore-scale texture, then sensor noise.
  const coarse = await sharp(blobs(48, 36, rand, 60), { raw: { width: 48, height: 36, channels: 3 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const fine = await sharp(blobs(Math.round(width / 6), Math.round(height / 6), rand, 50), {
    raw: { width: Math.round(width / 6), height: Math.round(height / 6), channels: 3 },
  })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) {
    const noise = (rand() + rand() - 1) * 10;
    pixels[i] = Math.max(0, Math.min(255, coarse[i]! * 0.7 + fine[i]! * 0.3 + noise));
  }
  // Phones write 4:2:0 at about q90-95.
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: spec.quality ?? 93, chromaSubsampling: '4:2:0' })
    .withExif({
      IFD0: {
        Make: 'Apple',
        Model: 'iPhone 12',
        Software: '17.1.2',
        DateTime: '2026:03:14 09:26:53',
        Artist: 'Dr Example Clinic 7',
      },
      IFD2: { DateTimeOriginal: '2026:03:14 09:26:53', BodySerialNumber: 'F17ZX0N1PLKJ', LensModel: 'iPhone 12 back dual wide camera 4.2mm f/1.6' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '22/1 32/1 4400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '113/1 56/1 1200/100',
        GPSAltitude: '35/1',
      },
    })
    .withMetadata({ orientation: spec.orientation })
    .toBuffer();
}

/** Earlier versions of the photos, never read again (12 MP each). */
function removeStaleVersions(): void {
  const names = new Set(SPECS.map((spec) => spec.name));
  for (const entry of fs.readdirSync(GENERATED_DIR)) {
    const match = /^(.+)-(v\d+)\.jpg$/.exec(entry);
    if (match && names.has(match[1]!) && match[2] !== VERSION) fs.rmSync(path.join(GENERATED_DIR, entry), { force: true });
  }
}

/** The generated JPEGs (paths), generating those not yet on disk. */
export async function ensureGeneratedPhotos(log: (line: string) => void = () => {}): Promise<string[]> {
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  removeStaleVersions();
  const files: string[] = [];
  for (const spec of SPECS) {
    const file = path.join(GENERATED_DIR, `${spec.name}-${VERSION}.jpg`);
    if (!fs.existsSync(file)) {
      const started = performance.now();
      const bytes = await renderPhoneJpeg(spec);
      // Written whole under a temporary name: an interrupted run never leaves a truncated photo.
      fs.writeFileSync(`${file}.tmp`, bytes);
      fs.renameSync(`${file}.tmp`, file);
      log(`generated ${path.basename(file)}: ${spec.width}x${spec.height}, ${(bytes.length / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms`);
    }
    files.push(file);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await ensureGeneratedPhotos((line) => process.stdout.write(`${line}\n`));
  for (const file of files) process.stdout.write(`${file} ${(fs.statSync(file).size / 1e6).toFixed(1)} MB\n`);
}
