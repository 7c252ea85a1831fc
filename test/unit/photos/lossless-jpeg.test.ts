// The lossless JPEG path (src/photos/lossless-jpeg.ts) through the whole pipeline: which photos keep their
// own image data, that what is kept decodes to exactly the upload's pixels (turned as jpegtran turns them),
// and that everything it cannot do exactly is re-encoded, with colours converted.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isSof, SOS, walkJpeg } from '../../../src/photos/jpeg-markers.js';
import { sanitizePhoto, type SanitizedPhoto } from '../../../src/photos/pipeline.js';
import { ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA, rgbProfile, SRGB_COLORANTS } from '../../helpers/icc.js';
import { insertAfterHeader, jpegSegment, leakedStrings } from '../../helpers/images.js';

const LIMITS = { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 };

interface PhotoOptions {
  width?: number;
  height?: number;
  orientation?: number;
  chroma?: '4:2:0' | '4:4:4';
  progressive?: boolean;
  icc?: string;
}

/** A photo-like JPEG: noise blurred to skin-like fine texture, with EXIF that names a camera and a person. */
async function photoJpeg({ width = 256, height = 192, orientation, chroma = '4:2:0', progressive = false, icc }: PhotoOptions = {}): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .blur(1.2)
    .withExif({ IFD0: { Make: 'TestMaker', Model: 'Phone 9', Artist: 'Jane Roe' } });
  if (orientation) image = image.withMetadata({ orientation });
  if (icc) image = image.withIccProfile(icc);
  return image.jpeg({ quality: 90, chromaSubsampling: chroma, progressive }).toBuffer();
}

const raw = (jpeg: Buffer) => sharp(jpeg).raw().toBuffer({ resolveWithObject: true });

async function meanAbsoluteDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  expect([y.info.width, y.info.height, y.info.channels]).toEqual([x.info.width, x.info.height, x.info.channels]);
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i]! - y.data[i]!);
  return sum / x.data.length;
}

/** The upload's entropy-coded data (first scan to EOI), which the lossless path must keep byte for byte. */
function scanData(jpeg: Buffer): Buffer {
  const layout = walkJpeg(jpeg);
  const firstScan = layout.segments.find((s) => s.marker === SOS)!;
  return jpeg.subarray(firstScan.offset, layout.eoi!);
}

const JPEGTRAN_OPERATION: Record<number, string[]> = {
  2: ['-flip', 'horizontal'],
  3: ['-rotate', '180'],
  4: ['-flip', 'vertical'],
  5: ['-transpose'],
  6: ['-rotate', '90'],
  7: ['-transverse'],
  8: ['-rotate', '270'],
};

/** libjpeg-turbo's own lossless transform of the upload, as a reference made apart from the service. */
const jpegtranReference = (input: Buffer, orientation: number) => execFileSync('jpegtran', ['-copy', 'none', '-perfect', ...JPEGTRAN_OPERATION[orientation]!], { input });

async function expectClean(photo: SanitizedPhoto): Promise<void> {
  for (const bytes of [photo.image, photo.thumbnail, ...(photo.display ? [photo.display] : [])]) {
    expect(leakedStrings(bytes, ['Jane Roe', 'TestMaker', 'Phone 9'])).toEqual([]);
    const markers = walkJpeg(bytes).segments.map((s) => s.marker);
    expect(markers.filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
    const meta = await sharp(bytes).metadata();
    expect([meta.exif, meta.icc, meta.orientation]).toEqual([undefined, undefined, undefined]);
  }
}

describe('orientation 1', () => {
  it('keeps the upload\'s image data bit for bit: the same pixels, fewer bytes, nothing else', async () => {
    const input = await photoJpeg({ icc: 'srgb' });
    const photo = await sanitizePhoto(input, LIMITS);
    expect(photo.encoding).toBe('lossless');
    expect(photo.image.includes(scanData(input))).toBe(true);
    expect(await meanAbsoluteDifference(input, photo.image)).toBe(0);
    expect(photo.bytes).toBeLessThan(input.length);
    expect(photo.removedMetadata).toEqual(expect.arrayContaining(['exif', 'icc']));
    await expectClean(photo);
  });

  it('keeps a progressive JPEG progressive, and its pixels', async () => {
    const input = await photoJpeg({ progressive: true });
    const photo = await sanitizePhoto(input, LIMITS);
    expect(photo.encoding).toBe('lossless');
    expect((await sharp(photo.image).metadata()).isProgressive).toBe(true);
    expect(await meanAbsoluteDifference(input, photo.image)).toBe(0);
  });

  it('keeps restart markers, greyscale and 4:4:4 frames as they are', async () => {
    const restarts = execFileSync('jpegtran', ['-restart', '1'], { input: await photoJpeg() });
    const grey = await sharp(await photoJpeg()).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
    const full = await photoJpeg({ chroma: '4:4:4' });
    for (const input of [restarts, grey, full]) {
      const photo = await sanitizePhoto(input, LIMITS);
      expect(photo.encoding).toBe('lossless');
      expect(photo.image.includes(scanData(input))).toBe(true);
      expect(await meanAbsoluteDifference(input, photo.image)).toBe(0);
    }
    expect(walkJpeg((await sanitizePhoto(restarts, LIMITS)).image).segments.some((s) => s.marker === 0xdd)).toBe(true);
  });

  it('drops APPn and COM segments wherever they sit, between tables and between scans, and anything after EOI', async () => {
    const input = await photoJpeg({ progressive: true });
    const layout = walkJpeg(input);
    const secondScan = layout.segments.filter((s) => s.marker === SOS)[1]!;
    const note = (text: string) => Buffer.from(text, 'latin1');
    const hidden = Buffer.concat([
      insertAfterHeader(input.subarray(0, secondScan.offset), jpegSegment(0xfe, note('Jane Roe, comment before the tables'))),
      jpegSegment(0xe1, Buffer.concat([note('Exif\0\0'), note('Jane Roe between scans')])),
      jpegSegment(0xfe, note('TestMaker between scans')),
      input.subarray(secondScan.offset),
      note('Phone 9 after the end'),
    ]);
    const photo = await sanitizePhoto(hidden, LIMITS);
    expect(photo.encoding).toBe('lossless');
    await expectClean(photo);
    expect(await meanAbsoluteDifference(input, photo.image)).toBe(0);
    expect(photo.removedMetadata).toEqual(expect.arrayContaining(['comment', 'trailer']));
  });
});

describe('odd files', () => {
  it('answers a scan placed before its frame as the decoder does (422), never as a failed verification', async () => {
    const input = await photoJpeg();
    const layout = walkJpeg(input);
    const frame = layout.segments.find((s) => isSof(s.marker))!;
    const frameBytes = input.subarray(frame.offset, frame.offset + 4 + frame.payload.length);
    const reordered = Buffer.concat([
      input.subarray(0, frame.offset),
      input.subarray(frame.offset + frameBytes.length, layout.eoi!),
      frameBytes,
      input.subarray(layout.eoi!),
    ]);
    expect(walkJpeg(reordered).segments.findIndex((s) => s.marker === SOS)).toBeLessThan(walkJpeg(reordered).segments.findIndex((s) => isSof(s.marker)));
    await expect(sanitizePhoto(reordered, LIMITS)).rejects.toMatchObject({ statusCode: 422 });
  });
});

describe('orientations 2 to 8', () => {
  it.each([2, 3, 4, 5, 6, 7, 8])('turns orientation %i upright in the DCT domain, pixel for pixel as jpegtran does', async (orientation) => {
    const input = await photoJpeg({ orientation });
    const photo = await sanitizePhoto(input, LIMITS);
    expect(photo.encoding).toBe('lossless');
    const swaps = orientation >= 5;
    expect([photo.width, photo.height]).toEqual(swaps ? [192, 256] : [256, 192]);
    expect(await meanAbsoluteDifference(jpegtranReference(input, orientation), photo.image)).toBe(0);
    // Upright as every viewer shows the tagged upload (a decoder's rounding apart), thumbnail included.
    const upright = await sharp(input).autoOrient().jpeg({ quality: 100 }).toBuffer();
    expect(await meanAbsoluteDifference(upright, photo.image)).toBeLessThan(1.5);
    const uprightThumbnail = await sharp(upright).resize(photo.thumbWidth, photo.thumbHeight).jpeg({ quality: 100 }).toBuffer();
    expect(await meanAbsoluteDifference(uprightThumbnail, photo.thumbnail)).toBeLessThan(3);
    await expectClean(photo);
  });

  it('makes the display copy of a large turned photo upright, from the one reduced decode', async () => {
    const input = await photoJpeg({ width: 2560, height: 1920, orientation: 8 });
    const photo = await sanitizePhoto(input, LIMITS);
    expect(photo.encoding).toBe('lossless');
    const display = await sharp(photo.display!).metadata();
    // 6/8 of 2560: the largest eighth no longer than 2048.
    expect([display.width, display.height]).toEqual([1440, 1920]);
    const upright = await sharp(input).autoOrient().resize(1440, 1920).jpeg({ quality: 100 }).toBuffer();
    // Noise at q85 differs by a few levels wherever it is resized; a mirrored or turned copy by ~40.
    expect(await meanAbsoluteDifference(upright, photo.display!)).toBeLessThan(6);
  });
});

describe('turns that are not exact are re-encoded', () => {
  // 4:2:0 works in 16 x 16 blocks: a turn or mirror that moves a partial block row or column to the other
  // side cannot be made in the DCT domain; the transpose (orientation 5) moves none.
  it.each([
    [1000, 750, { 2: 'reencoded', 3: 'reencoded', 4: 'reencoded', 5: 'lossless', 6: 'reencoded', 7: 'reencoded', 8: 'reencoded' }],
    [1008, 750, { 2: 'lossless', 3: 'reencoded', 4: 'reencoded', 5: 'lossless', 6: 'reencoded', 7: 'reencoded', 8: 'lossless' }],
    [1000, 752, { 2: 'reencoded', 3: 'reencoded', 4: 'lossless', 5: 'lossless', 6: 'lossless', 7: 'reencoded', 8: 'reencoded' }],
  ] as const)('%i x %i', async (width, height, expected) => {
    for (const [orientation, encoding] of Object.entries(expected)) {
      const input = await photoJpeg({ width, height, orientation: Number(orientation) });
      const photo = await sanitizePhoto(input, LIMITS);
      expect(photo.encoding, `orientation ${orientation}`).toBe(encoding);
      const upright = await sharp(input).autoOrient().jpeg({ quality: 100 }).toBuffer();
      // A re-encode adds its own rounding to the decoder's.
      expect(await meanAbsoluteDifference(upright, photo.image)).toBeLessThan(encoding === 'lossless' ? 1.5 : 2.5);
      if (encoding === 'reencoded') expect((await sharp(photo.image).metadata()).chromaSubsampling).toBe('4:4:4');
    }
  });
});

/** sRGB-encoded value (0..255) of a linear-light value. */
const encodeSrgb = (v: number) => 255 * (v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055);
const decodeSrgb = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);

/** XYZ (D50) of an RGB colour from its profile's colorants and linear values, then to sRGB through sRGB's colorants. */
function toSrgb(linear: [number, number, number], colorants: typeof SRGB_COLORANTS): [number, number, number] {
  const xyz = [0, 1, 2].map((k) => colorants.r[k]! * linear[0] + colorants.g[k]! * linear[1] + colorants.b[k]! * linear[2]);
  // Inverse of sRGB's colorant matrix (columns r, g, b), solved by Cramer's rule.
  const m = [0, 1, 2].map((k) => [SRGB_COLORANTS.r[k]!, SRGB_COLORANTS.g[k]!, SRGB_COLORANTS.b[k]!]);
  const det = (a: number[][]) => a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  return [0, 1, 2].map((column) => encodeSrgb(Math.min(1, Math.max(0, det(m.map((row, k) => row.map((v, c) => (c === column ? xyz[k]! : v)))) / d)))) as [number, number, number];
}

describe('colour', () => {
  // Dark enough that a gamma 2.2 reading differs from sRGB's, saturated enough that wider primaries show.
  const colour = [20, 100, 40] as const;
  const untagged = () =>
    sharp({ create: { width: 64, height: 48, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } })
      .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
      .toBuffer();
  /** The same stored values, tagged with the profile: an ICC_PROFILE APP2 segment, the pixels untouched. */
  const tagged = async (icc: Buffer) => {
    const chunk = Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), icc]);
    return insertAfterHeader(await untagged(), jpegSegment(0xe2, chunk));
  };
  const builtIn = async (name: 'srgb' | 'p3') => (await sharp(await untagged()).withIccProfile(name).jpeg().toBuffer().then((b) => sharp(b).metadata())).icc!;
  const centre = async (jpeg: Buffer) => {
    const { data, info } = await raw(jpeg);
    const i = (24 * info.width + 32) * info.channels;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };

  it('keeps a photo tagged sRGB (a v2 table profile or a v4 parametric one) and drops the tag', async () => {
    for (const icc of [await builtIn('srgb'), rgbProfile('sRGB parametric', SRGB_COLORANTS, { srgbParametric: true })]) {
      const photo = await sanitizePhoto(await tagged(icc), LIMITS);
      expect(photo.encoding).toBe('lossless');
      expect((await sharp(photo.image).metadata()).icc).toBeUndefined();
      const actual = await centre(photo.image);
      for (let k = 0; k < 3; k++) expect(Math.abs(actual[k]! - colour[k]!)).toBeLessThanOrEqual(2);
    }
  });

  it.each(['Display P3', 'Adobe RGB', 'sRGB primaries with a plain 2.2 gamma'])('re-encodes a photo in %s, its colours converted to sRGB', async (name) => {
    const profiles: Record<string, () => Promise<{ icc: Buffer; colorants: typeof SRGB_COLORANTS; decode: (v: number) => number }>> = {
      // Display P3: DCI-P3 primaries, D65, sRGB's curve.
      'Display P3': async () => ({ icc: await builtIn('p3'), colorants: { r: [0.5151, 0.2412, -0.0011], g: [0.292, 0.6922, 0.0419], b: [0.1571, 0.0666, 0.7841] }, decode: decodeSrgb }),
      'Adobe RGB': async () => ({ icc: rgbProfile('Adobe RGB (1998)', ADOBE_RGB_COLORANTS, { gamma: ADOBE_RGB_GAMMA }), colorants: ADOBE_RGB_COLORANTS, decode: (v) => (v / 255) ** ADOBE_RGB_GAMMA }),
      'sRGB primaries with a plain 2.2 gamma': async () => ({ icc: rgbProfile('Almost sRGB', SRGB_COLORANTS, { gamma: 2.2 }), colorants: SRGB_COLORANTS, decode: (v) => (v / 255) ** 2.2 }),
    };
    const profile = await profiles[name]!();
    const photo = await sanitizePhoto(await tagged(profile.icc), LIMITS);
    expect(photo.encoding).toBe('reencoded');
    expect((await sharp(photo.image).metadata()).icc).toBeUndefined();
    const expected = toSrgb(colour.map(profile.decode) as [number, number, number], profile.colorants);
    const actual = await centre(photo.image);
    for (let k = 0; k < 3; k++) expect(Math.abs(actual[k]! - expected[k]!), `channel ${k}: ${actual.join()} vs ${expected.map(Math.round).join()}`).toBeLessThanOrEqual(3);
    // Not the stored values read as sRGB: the conversion moved them.
    expect(Math.max(...actual.map((v, k) => Math.abs(v - colour[k]!)))).toBeGreaterThan(4);
  });

  it('re-encodes CMYK, RGB-coded and arithmetic-coded JPEGs, which the image data alone would not show alike everywhere', async () => {
    const input = await photoJpeg();
    const pixels = await raw(input);
    const ppm = Buffer.concat([Buffer.from(`P6\n${pixels.info.width} ${pixels.info.height}\n255\n`, 'latin1'), pixels.data]);
    const rgbCoded = execFileSync('cjpeg', ['-rgb', '-quality', '95'], { input: ppm });
    const cmyk = await sharp(input).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    const arithmetic = execFileSync('jpegtran', ['-arithmetic'], { input });
    for (const [name, variant] of [['rgb', rgbCoded], ['cmyk', cmyk], ['arithmetic', arithmetic]] as const) {
      const frame = walkJpeg(variant).segments.find((s) => isSof(s.marker))!;
      expect(frame, name).toBeDefined();
      const photo = await sanitizePhoto(variant, LIMITS);
      expect(photo.encoding, name).toBe('reencoded');
      expect(await meanAbsoluteDifference(input, photo.image), name).toBeLessThan(name === 'cmyk' ? 6 : 2);
    }
  });
});

describe('without libjpeg-turbo’s programs', () => {
  it('keeps small upright JPEGs (sharp alone decodes them) and re-encodes those needing a turn or a display copy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-'));
    try {
      const files = { small: await photoJpeg(), turned: await photoJpeg({ orientation: 6 }), large: await photoJpeg({ width: 2560, height: 1920 }) };
      for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.jpg`), bytes);
      const script = `
        import fs from 'node:fs';
        import { sanitizePhoto } from ${JSON.stringify(path.resolve('src/photos/pipeline.ts'))};
        const limits = { maxPixels: 1e8, maxDecodeSeconds: 60, memoryBytes: 2 ** 30 };
        const out = {};
        for (const name of ['small', 'turned', 'large']) {
          const photo = await sanitizePhoto(fs.readFileSync(${JSON.stringify(dir)} + '/' + name + '.jpg'), limits);
          out[name] = [photo.encoding, photo.width, photo.height, photo.display !== null];
        }
        process.stdout.write(JSON.stringify(out));`;
      fs.writeFileSync(path.join(dir, 'run.mts'), script);
      // An empty PATH: no jpegtran, djpeg or cjpeg to be found.
      const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(dir, 'run.mts')], { env: { PATH: '' }, encoding: 'utf8' });
      expect(JSON.parse(output)).toEqual({
        small: ['lossless', 256, 192, false],
        turned: ['reencoded', 192, 256, false],
        large: ['reencoded', 2560, 1920, true],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
