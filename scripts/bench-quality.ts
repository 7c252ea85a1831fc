// Photo quality at capture, validated: builds a labelled set from the real photos of the fixtures (the untouched
// originals; Gaussian blur, under- and overexposure and flattened tones at several strengths; small crops and a
// messenger-sized copy) and measures every image as the server does (sanitizePhoto, on the thumbnail it makes)
// and as the browser does (js/photo-quality.js in headless Chromium, on the file's bytes). Prints progress on
// stderr and, as the last stdout line, one JSON object: per warning and side, precision and recall on the
// variants at or beyond the stated strength (the targets), the same at the weaker strengths (for information),
// the share of originals with no warning beyond their labels, the measure's gap between the two, the thresholds.
//
//   npm run bench:quality
//
// Labels: an image's true warnings are its original's (too_small for one under MIN_PIXELS) and, from the stated
// strength on, its degradation's. Any other warning is a false alarm, the cross effects included (a darkened
// photo also warned low_contrast counts against low_contrast). Images degraded more weakly than stated are left
// out of the targets: a little blur or shade may rightly go either way. A crop is judged on its size alone: it
// shows a part of the scene at another scale, whose sharpness or light the original's labels do not tell (an
// out-of-focus corner, a black tyre); its other warnings are listed for information.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import sharp from 'sharp';
import { launchBrowser } from '../test/helpers/browser.js';
import { closeHeicDecoder } from '../src/photos/heic-decoder.js';
import { sanitizePhoto } from '../src/photos/pipeline.js';
import * as thresholds from '../src/photos/quality.js';
import { MIN_PIXELS, QUALITY_WARNINGS, type PhotoQuality, type QualityWarning } from '../src/photos/quality.js';
import { webPhotoQuality } from '../src/web/assets.js';
import { GENERATED_DIR } from './generate-photos.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REAL_PHOTOS = path.resolve(ROOT, '../shared/fixtures/real');
/** The variants are written here (git-ignored), to be looked at. */
const OUT_DIR = path.join(GENERATED_DIR, 'quality');
const LIMITS = { maxPixels: 100_000_000, maxDecodeSeconds: 120, memoryBytes: 1024 ** 3 };
/** As a phone's camera or a messenger writes a JPEG. */
const VARIANT_JPEG = { quality: 92 } as const;

type Kind = 'blur' | 'dark' | 'bright' | 'flat' | 'crop' | 'shrink';

interface Degradation {
  kind: Kind;
  /** The warning it should give from the stated strength on. */
  warning: QualityWarning;
  /** In the unit of `unit`, weakest first. */
  strengths: number[];
  /** Where the labels start: a strength at least this far from none carries the warning. */
  stated: number;
  unit: string;
  /** Why the stated strength is where a specialist would ask for another photo. */
  why: string;
  /** The warnings its variants are judged on, when not all (see the labels above). */
  judgedOn?: QualityWarning[];
}

/**
 * The stated strengths are set from what the images look like, not from what the measure says (that would
 * be circular): look at fixtures/generated/quality/ after a run.
 */
const DEGRADATIONS: Degradation[] = [
  {
    kind: 'blur',
    warning: 'blurry',
    strengths: [0.1, 0.2, 0.4, 0.8, 1.6],
    stated: 0.4,
    unit: 'Gaussian sigma, % of the long side',
    why: '16 px on a 12 MP photo: hair, pores and a pigment network are gone at any zoom',
  },
  {
    kind: 'dark',
    warning: 'too_dark',
    strengths: [1, 2, 3, 4, 5],
    stated: 3,
    unit: 'EV under, in linear light',
    why: 'mid-grey falls to sRGB 40: most of the picture is deep shadow',
  },
  {
    kind: 'bright',
    warning: 'too_bright',
    strengths: [0.5, 1, 1.5, 2, 3],
    stated: 2,
    unit: 'EV over, in linear light, clipped',
    why: 'mid-grey rises to sRGB 220 and every tone lighter than sRGB 137 clips: light skin is blown out',
  },
  {
    kind: 'flat',
    warning: 'low_contrast',
    strengths: [0.7, 0.5, 0.35, 0.25, 0.15],
    stated: 0.25,
    unit: 'tone spread kept around the mean (1 = untouched), smaller is flatter',
    why: 'a quarter of the tonal range left, as through fog or a dirty lens: borders and colour fade together',
  },
  {
    kind: 'crop',
    warning: 'too_small',
    strengths: [0.75, 0.24],
    stated: 0.75,
    unit: 'MP, a central crop at the original scale',
    why: 'under 1 MP, by definition',
    judgedOn: ['too_small'],
  },
  {
    kind: 'shrink',
    warning: 'too_small',
    strengths: [0.48],
    stated: 0.48,
    unit: 'MP, the whole photo scaled down (800 x 600, a messenger-sized copy)',
    why: 'under 1 MP, by definition',
  },
];

/** Flatter is stronger for `flat`, smaller for crops: the others grow with their strength. */
const atStated = (d: Degradation, strength: number) => (d.kind === 'flat' || d.kind === 'crop' ? strength <= d.stated : strength >= d.stated);

interface Original {
  name: string;
  /** The file as a person would choose it. */
  bytes: Buffer;
  /** Upright sRGB pixels, 3 channels. */
  pixels: Buffer;
  width: number;
  height: number;
}

interface Measured {
  image: string;
  photo: string;
  kind: Kind | 'original';
  strength: number | null;
  /** The warnings it is judged on, each true when it should be given; none for a variant weaker than stated. */
  truth: Partial<Record<QualityWarning, boolean>>;
  /** The warning its degradation gives from the stated strength on. */
  degradation: QualityWarning | null;
  server: PhotoQuality;
  /** Null when the browser could not decode it (HEIC in Chromium). */
  browser: PhotoQuality | null;
}

const progress = (line: string) => process.stderr.write(`[bench:quality] ${line}\n`);

const sRgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const linearToSRgb = (v: number) => (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);

/** Each 8-bit value's image under `curve` (0..1 in, 0..1 out, clipped). */
function lookupTable(curve: (value: number) => number): Uint8Array {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = Math.round(Math.min(1, Math.max(0, curve(v / 255))) * 255);
  return table;
}

/** Exposure changed by `ev` stops, as a camera's shutter would: in linear light, clipped at white. */
const exposure = (ev: number) => lookupTable((v) => linearToSRgb(sRgbToLinear(v) * 2 ** ev));

const meanOf = (pixels: Buffer) => pixels.reduce((sum, v) => sum + v, 0) / pixels.length / 255;

/** Tones pulled towards the picture's mean, keeping `spread` of their distance from it. */
const flatten = (spread: number, mean: number) => lookupTable((v) => mean + spread * (v - mean));

function mapped(pixels: Buffer, table: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}

/** A central crop of `megapixels`, in the photo's own proportions, or null when the photo is not larger. */
function cropBox(original: Original, megapixels: number) {
  const scale = Math.sqrt((megapixels * 1e6) / (original.width * original.height));
  if (scale >= 1) return null;
  const width = Math.round(original.width * scale);
  const height = Math.round(original.height * scale);
  return { left: (original.width - width) >> 1, top: (original.height - height) >> 1, width, height };
}

/** The variant's file, or null when it does not apply (a crop as large as the photo). */
async function variant(original: Original, kind: Kind, strength: number): Promise<Buffer | null> {
  const raw = { raw: { width: original.width, height: original.height, channels: 3 as const } };
  switch (kind) {
    case 'blur':
      return sharp(original.pixels, raw)
        .blur(Math.max(0.3, (strength / 100) * Math.max(original.width, original.height)))
        .jpeg(VARIANT_JPEG)
        .toBuffer();
    case 'dark':
      return sharp(mapped(original.pixels, exposure(-strength)), raw).jpeg(VARIANT_JPEG).toBuffer();
    case 'bright':
      return sharp(mapped(original.pixels, exposure(strength)), raw).jpeg(VARIANT_JPEG).toBuffer();
    case 'flat':
      return sharp(mapped(original.pixels, flatten(strength, meanOf(original.pixels))), raw).jpeg(VARIANT_JPEG).toBuffer();
    case 'crop': {
      const box = cropBox(original, strength);
      return box && sharp(original.pixels, raw).extract(box).jpeg(VARIANT_JPEG).toBuffer();
    }
    case 'shrink': {
      if (original.width * original.height <= strength * 1e6) return null;
      const side = Math.round(Math.sqrt((strength * 1e6 * Math.max(original.width, original.height)) / Math.min(original.width, original.height)));
      return sharp(original.pixels, raw).resize(side, side, { fit: 'inside' }).jpeg(VARIANT_JPEG).toBuffer();
    }
  }
}

/** The originals, decoded upright to sRGB by the pipeline itself (the HEIC through its WASM decoder). */
async function loadOriginals(): Promise<Original[]> {
  const originals: Original[] = [];
  for (const name of fs.readdirSync(REAL_PHOTOS).sort()) {
    const bytes = fs.readFileSync(path.join(REAL_PHOTOS, name));
    const { image } = await sanitizePhoto(bytes, LIMITS);
    const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    originals.push({ name, bytes, pixels: data, width: info.width, height: info.height });
    progress(`${name}: ${info.width} x ${info.height}`);
  }
  return originals;
}

/** The server's measure: the pipeline's own, taken on the thumbnail it makes. */
async function serverMeasure(bytes: Buffer): Promise<PhotoQuality> {
  return (await sanitizePhoto(bytes, LIMITS)).quality;
}

/** js/photo-quality.js bundled as the web app bundles it, served with the images from one local origin. */
async function startBrowserMeasure() {
  const built = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/web/public/js/photo-quality.js')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [webPhotoQuality],
  });
  await esbuild.stop();
  const script = built.outputFiles[0]!.contents;
  const images = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const body = req.url === '/photo-quality.js' ? Buffer.from(script) : req.url === '/' ? Buffer.from('<!doctype html><title>bench</title>') : images.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end();
    const type = req.url === '/' ? 'text/html' : req.url === '/photo-quality.js' ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(origin);
  let next = 0;
  return {
    async measure(bytes: Buffer): Promise<PhotoQuality | null> {
      const url = `/image-${next++}`;
      images.set(url, bytes);
      try {
        return await page.evaluate(async ({ url, module }) => {
          const { measureFile } = (await import(module)) as { measureFile: (file: Blob) => Promise<PhotoQuality | null> };
          return measureFile(await (await fetch(url)).blob());
        }, { url, module: '/photo-quality.js' });
      } finally {
        images.delete(url);
      }
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const has = (q: PhotoQuality | null, w: QualityWarning) => q?.warnings.includes(w) ?? false;
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

/** The measure each warning compares with its threshold, and which way a photo gets the warning. */
const METRIC: Record<Exclude<QualityWarning, 'too_small'>, { field: keyof Omit<PhotoQuality, 'warnings'>; warnsWhen: 'below' | 'above' }> = {
  blurry: { field: 'sharpness', warnsWhen: 'below' },
  too_dark: { field: 'shadows', warnsWhen: 'above' },
  too_bright: { field: 'highlights', warnsWhen: 'above' },
  low_contrast: { field: 'contrast', warnsWhen: 'below' },
};

/** What an image is judged on: its original's labels, and its degradation's from the stated strength on. */
function truthOf(photoLabels: QualityWarning[], degradation: Degradation | null, strength: number | null): Measured['truth'] {
  if (degradation && !atStated(degradation, strength!)) return {};
  const judged = degradation?.judgedOn ?? QUALITY_WARNINGS;
  return Object.fromEntries(judged.map((w) => [w, photoLabels.includes(w) || w === degradation?.warning]));
}

const beyondTruth = (r: Measured, q: PhotoQuality) => q.warnings.filter((w) => r.truth[w] !== true);

function scores(results: Measured[], side: 'server' | 'browser') {
  const measured = results.filter((r) => r[side]);
  const originals = measured.filter((r) => r.kind === 'original');
  const weaker = measured.filter((r) => Object.keys(r.truth).length === 0);
  const perWarning = Object.fromEntries(
    QUALITY_WARNINGS.map((warning) => {
      const judged = measured.filter((r) => r.truth[warning] !== undefined);
      const positives = judged.filter((r) => r.truth[warning]);
      const truePositives = positives.filter((r) => has(r[side], warning)).length;
      const warned = judged.filter((r) => has(r[side], warning)).length;
      const weakerOwn = weaker.filter((r) => r.degradation === warning);
      const weakerOthers = weaker.filter((r) => r.degradation !== warning && !originalLabels(results, r).includes(warning));
      const entry: Record<string, unknown> = {
        precision: ratio(truePositives, warned),
        recall: ratio(truePositives, positives.length),
        counts: { judged: judged.length, positives: positives.length, warned, truePositives, falseAlarms: warned - truePositives, missed: positives.length - truePositives },
        falseAlarms: judged.filter((r) => !r.truth[warning] && has(r[side], warning)).map((r) => r.image),
        missed: positives.filter((r) => !has(r[side], warning)).map((r) => r.image),
        weaker: {
          // The variants weaker than stated of this warning's own degradation: how many are already warned.
          warnedOfOwnKind: ratio(weakerOwn.filter((r) => has(r[side], warning)).length, weakerOwn.length),
          ownKind: weakerOwn.length,
          // Warned on a weaker variant of another degradation, whose original does not carry the warning.
          falseAlarmsOnOtherKinds: weakerOthers.filter((r) => has(r[side], warning)).map((r) => r.image),
          otherKinds: weakerOthers.length,
        },
      };
      if (warning !== 'too_small') {
        const { field, warnsWhen } = METRIC[warning];
        // A clipped picture is not judged on its contrast (quality.ts gives low_contrast only when the light is fine).
        const exposureWarned = (r: Measured) => warning === 'low_contrast' && (has(r[side], 'too_dark') || has(r[side], 'too_bright'));
        const shouldWarn = positives.map((r) => r[side]![field]);
        const shouldNot = judged.filter((r) => !r.truth[warning] && !exposureWarned(r)).map((r) => r[side]![field]);
        // The least warned-looking image that should warn, and the most warned-looking one that should not.
        entry.gap = {
          field,
          ...(warnsWhen === 'below'
            ? { highestThatShouldWarn: Math.max(...shouldWarn), lowestThatShouldNot: Math.min(...shouldNot) }
            : { lowestThatShouldWarn: Math.min(...shouldWarn), highestThatShouldNot: Math.max(...shouldNot) }),
        };
      }
      return [warning, entry];
    }),
  );
  return {
    originalsWithoutWarningBeyondLabels: ratio(originals.filter((r) => beyondTruth(r, r[side]!).length === 0).length, originals.length),
    originals: originals.length,
    images: measured.length,
    weakerThanStated: weaker.length,
    notDecoded: results.filter((r) => !r[side]).map((r) => r.image),
    warnings: perWarning,
    cropsOtherWarnings: measured
      .filter((r) => r.kind === 'crop')
      .map((r) => ({ image: r.image, warnings: r[side]!.warnings.filter((w) => w !== 'too_small') }))
      .filter((c) => c.warnings.length > 0),
  };
}

function originalLabels(results: Measured[], r: Measured): QualityWarning[] {
  const original = results.find((o) => o.kind === 'original' && o.photo === r.photo);
  return QUALITY_WARNINGS.filter((w) => original?.truth[w]);
}

const started = performance.now();
fs.rmSync(OUT_DIR, { recursive: true, force: true });
fs.mkdirSync(OUT_DIR, { recursive: true });
const originals = await loadOriginals();
const browserMeasure = await startBrowserMeasure();
const results: Measured[] = [];
const time = { generate: 0, server: 0, browser: 0 };

for (const original of originals) {
  const photoLabels: QualityWarning[] = original.width * original.height < MIN_PIXELS ? ['too_small'] : [];
  const images: { kind: Kind | 'original'; strength: number | null; degradation: Degradation | null; bytes: Buffer }[] = [
    { kind: 'original', strength: null, degradation: null, bytes: original.bytes },
  ];
  for (const degradation of DEGRADATIONS) {
    for (const strength of degradation.strengths) {
      const at = performance.now();
      const bytes = await variant(original, degradation.kind, strength);
      time.generate += performance.now() - at;
      if (bytes) images.push({ kind: degradation.kind, strength, degradation, bytes });
    }
  }
  for (const { kind, strength, degradation, bytes } of images) {
    const image = kind === 'original' ? original.name : `${path.parse(original.name).name}-${kind}-${strength}.jpg`;
    if (kind !== 'original') fs.writeFileSync(path.join(OUT_DIR, image), bytes);
    const truth = truthOf(photoLabels, degradation, strength);
    const serverAt = performance.now();
    const server = await serverMeasure(bytes);
    const browserAt = performance.now();
    const browser = await browserMeasure.measure(bytes);
    time.server += browserAt - serverAt;
    time.browser += performance.now() - browserAt;
    results.push({ image, photo: original.name, kind, strength, truth, degradation: degradation?.warning ?? null, server, browser });
    progress(`${image.padEnd(34)} server ${server.warnings.join(',') || '-'} | browser ${browser ? browser.warnings.join(',') || '-' : 'not decoded'}`);
  }
}
await browserMeasure.close();
await closeHeicDecoder();
fs.writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify(results, null, 1));
progress(`measures of every image in ${path.relative(ROOT, path.join(OUT_DIR, 'results.json'))}`);

process.stdout.write(
  `${JSON.stringify({
    set: {
      photos: originals.map((o) => ({ name: o.name, width: o.width, height: o.height, labels: o.width * o.height < MIN_PIXELS ? ['too_small'] : [] })),
      degradations: DEGRADATIONS,
      images: results.length,
      note: 'Originals under 1 MP carry too_small as a true label: "no warning on the originals" is measured as "no warning beyond their labels". Chromium cannot decode HEIC: the browser has no measure for the HEIC original (its variants are JPEGs).',
    },
    thresholds: {
      BLURRY_BELOW: thresholds.BLURRY_BELOW,
      SHADOW_LUMA: thresholds.SHADOW_LUMA,
      TOO_DARK_ABOVE: thresholds.TOO_DARK_ABOVE,
      CLIPPED_CHANNEL: thresholds.CLIPPED_CHANNEL,
      TOO_BRIGHT_ABOVE: thresholds.TOO_BRIGHT_ABOVE,
      LOW_CONTRAST_BELOW: thresholds.LOW_CONTRAST_BELOW,
      MIN_PIXELS,
    },
    server: scores(results, 'server'),
    browser: scores(results, 'browser'),
    seconds: {
      total: Math.round((performance.now() - started) / 100) / 10,
      generating: Math.round(time.generate / 100) / 10,
      server: Math.round(time.server / 100) / 10,
      browser: Math.round(time.browser / 100) / 10,
    },
  })}\n`,
);
