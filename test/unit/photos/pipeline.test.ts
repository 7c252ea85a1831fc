import { createHash } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeHeicDecoder } from '../../../src/photos/heic-decoder.js';
import { walkJpeg } from '../../../src/photos/jpeg-markers.js';
import { sanitizePhoto } from '../../../src/photos/pipeline.js';
import type { SanitizedPhoto } from '../../../src/photos/pipeline.js';
import { fixture, isRed, leakedStrings, manifest, refusalOf, samplePixels } from '../../helpers/images.js';
import { pngHeaderOverGarbage } from '../../helpers/hostile-files.js';

const LIMITS = { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 };
const VOCABULARY = ['comment', 'exif', 'gps', 'icc', 'iptc', 'makernote', 'photoshop', 'text', 'thumbnail', 'trailer', 'xmp'];

// What each refused fixture must produce; the manifest allows ranges, these are our choices.
const REFUSALS: Record<string, { statusCode: number; code: string }> = {
  'bomb-30000x30000.png': { statusCode: 413, code: 'IMAGE_TOO_LARGE' },
  'truncated.jpg': { statusCode: 422, code: 'IMAGE_CORRUPT' },
  'empty.jpg': { statusCode: 400, code: 'EMPTY_FILE' },
  'html-named-jpg.jpg': { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  'script.svg': { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  'pdf-named-png.png': { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  'gif-with-appended-html.gif': { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
};

const accepted = manifest.files.filter((entry) => entry.expect === 'accept').map((entry) => entry.file);
const refused = manifest.files.filter((entry) => entry.expect.startsWith('reject'));

const results = new Map<string, Promise<SanitizedPhoto>>();
/** Each fixture is sanitized once and shared by the tests that look at it. */
function sanitized(file: string): Promise<SanitizedPhoto> {
  let result = results.get(file);
  if (!result) {
    result = sanitizePhoto(fixture(file), LIMITS);
    results.set(file, result);
  }
  return result;
}

const refusal = (input: Buffer, limits = LIMITS) => refusalOf(input, limits);

/** Everything a stored JPEG must satisfy, whichever image it came from. */
/** `ownEncoding`: made by our encoder (4:4:4), not the upload's own image data kept on the lossless path. */
async function expectCleanJpeg(bytes: Buffer, ownEncoding = true): Promise<void> {
  expect(leakedStrings(bytes)).toEqual([]);
  const metadata = await sharp(bytes).metadata();
  expect(metadata.format).toBe('jpeg');
  if (ownEncoding) expect(metadata.chromaSubsampling).toBe('4:4:4');
  expect(metadata.space).toBe('srgb');
  for (const key of ['exif', 'icc', 'iptc', 'xmp', 'comments', 'orientation'] as const) expect(metadata[key]).toBeUndefined();
  expect(metadata.hasProfile).toBe(false);
  expect(await exifr.parse(bytes, { tiff: true, xmp: true, iptc: true, icc: true, mergeOutput: false })).toBeUndefined();
  expect(await exifr.thumbnail(bytes)).toBeUndefined();
  expect(walkJpeg(bytes).eoi).toBe(bytes.length - 2);
}

afterAll(async () => {
  await closeHeicDecoder();
});

describe('sanitizePhoto on every accepted fixture', () => {
  it.each(accepted)('stores %s as a clean sRGB JPEG (4:4:4 when re-encoded) with a clean thumbnail, and a display copy when larger than 2048 px', async (file) => {
    const photo = await sanitized(file);
    expect(photo.contentType).toBe('image/jpeg');
    // Every JPEG of the corpus is plain, untagged or sRGB and exactly turnable; the other formats are re-encoded.
    expect(photo.encoding).toBe(photo.sourceType === 'jpeg' ? 'lossless' : 'reencoded');
    await expectCleanJpeg(photo.image, photo.encoding === 'reencoded');
    await expectCleanJpeg(photo.thumbnail);

    const stored = await sharp(photo.image).metadata();
    expect([stored.width, stored.height]).toEqual([photo.width, photo.height]);
    const thumb = await sharp(photo.thumbnail).metadata();
    expect([thumb.width, thumb.height]).toEqual([photo.thumbWidth, photo.thumbHeight]);
    expect(Math.max(photo.thumbWidth, photo.thumbHeight)).toBeLessThanOrEqual(512);
    // The thumbnail keeps the photo's shape.
    expect(Math.abs(photo.thumbWidth / photo.thumbHeight - photo.width / photo.height)).toBeLessThan(0.02);

    if (Math.max(photo.width, photo.height) <= 2048) expect(photo.display).toBeNull();
    else {
      // A kept 4:2:0 photo's copy is 4:2:0 too: decoded at half size or less, it has no finer colour.
      await expectCleanJpeg(photo.display!, photo.encoding === 'reencoded');
      const display = await sharp(photo.display!).metadata();
      // A re-encoded photo's copy is resized to 2048; a kept one's is the largest eighth of it that fits (≥ 90%).
      if (photo.encoding === 'reencoded') expect(Math.max(display.width, display.height)).toBe(2048);
      else expect(Math.max(display.width, display.height)).toBeGreaterThanOrEqual(0.9 * 2048);
      expect(Math.max(display.width, display.height)).toBeLessThanOrEqual(2048);
      expect(Math.abs(display.width / display.height - photo.width / photo.height)).toBeLessThan(0.01);
    }

    expect(photo.bytes).toBe(photo.image.length);
    expect(photo.sha256).toBe(createHash('sha256').update(photo.image).digest('hex'));
    expect(photo.removedMetadata).toEqual([...new Set(photo.removedMetadata)].sort());
    for (const kind of photo.removedMetadata) expect(VOCABULARY).toContain(kind);
  });

  it('covers every fixture in the manifest', () => {
    const covered = new Set([...accepted, ...Object.keys(REFUSALS)]);
    expect(manifest.files.filter((entry) => !covered.has(entry.file))).toEqual([]);
  });
});

describe('sanitizePhoto on every refused fixture', () => {
  it.each(refused.map((entry) => [entry.file, entry.expect] as const))('refuses %s (%s)', async (file, expectation) => {
    const error = await refusal(fixture(file));
    expect(error).toMatchObject(REFUSALS[file]!);
    // And within what the manifest allows.
    const allowed = [...expectation.matchAll(/\d{3}/g)].map((match) => Number(match[0]));
    expect(allowed).toContain(error.statusCode);
  });

  it('refuses the PNG bomb from its header without decoding it', async () => {
    const error = await refusal(fixture('bomb-30000x30000.png'));
    expect(error.message).toMatch(/30000x30000/);
    // Behind the same header, data no decoder could read: still too large, never corrupt, so never decoded.
    expect(await refusal(pngHeaderOverGarbage(30000, 30000))).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(await refusal(pngHeaderOverGarbage(64, 48))).toMatchObject({ code: 'IMAGE_CORRUPT' });
  });

  it('refuses a photo over a configured pixel limit with 413', async () => {
    const error = await refusal(fixture('real/jolla.jpg'), { ...LIMITS, maxPixels: 1_000_000 });
    expect(error).toMatchObject({ statusCode: 413, code: 'IMAGE_TOO_LARGE' });
  });

  it('refuses a cut-off HEIC with 422', async () => {
    const heic = fixture('real/IMG_5195.HEIC');
    const error = await refusal(heic.subarray(0, Math.floor(heic.length * 0.6)));
    expect(error).toMatchObject({ statusCode: 422, code: 'IMAGE_CORRUPT' });
  });
});

describe('orientation', () => {
  // The marker fills the top-left fifth of the picture in both directions.
  const TOP_LEFT: [number, number][] = [[0.03, 0.03], [0.15, 0.03], [0.03, 0.15], [0.15, 0.15]];
  const ELSEWHERE: [number, number][] = [[0.3, 0.1], [0.1, 0.3], [0.97, 0.03], [0.03, 0.97], [0.97, 0.97], [0.5, 0.5]];

  async function expectMarkerTopLeft(image: Buffer): Promise<void> {
    for (const pixel of await samplePixels(image, TOP_LEFT)) expect(isRed(pixel), JSON.stringify(pixel)).toBe(true);
    for (const pixel of await samplePixels(image, ELSEWHERE)) expect(isRed(pixel), JSON.stringify(pixel)).toBe(false);
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns orient-%i.jpg into upright 480x640 pixels with the red marker top-left', async (n) => {
    const photo = await sanitized(`orient-${n}.jpg`);
    expect([photo.width, photo.height]).toEqual([480, 640]);
    await expectMarkerTopLeft(photo.image);
    await expectMarkerTopLeft(photo.thumbnail);
  });

  it('rotates the all-metadata JPEG (Orientation 6) to 1200x1600 with the red marker top-left', async () => {
    const photo = await sanitized('jpeg-all-metadata-orient6.jpg');
    expect([photo.width, photo.height]).toEqual([1200, 1600]);
    expect([photo.thumbWidth, photo.thumbHeight]).toEqual([384, 512]);
    await expectMarkerTopLeft(photo.image);
    await expectMarkerTopLeft(photo.thumbnail);
  });

  it('stores the iPhone HEIC in portrait, 2566x3313', async () => {
    const photo = await sanitized('real/IMG_5195.HEIC');
    expect(photo.sourceType).toBe('heic');
    expect([photo.width, photo.height]).toEqual([2566, 3313]);
    expect([photo.thumbWidth, photo.thumbHeight]).toEqual([396, 512]);
  });
});

describe('removedMetadata', () => {
  it('names what the all-metadata JPEG carried', async () => {
    expect((await sanitized('jpeg-all-metadata-orient6.jpg')).removedMetadata).toEqual(
      expect.arrayContaining(['comment', 'exif', 'gps', 'iptc', 'thumbnail', 'xmp']),
    );
  });

  it('names the trailer, the PNG text chunks and the HEIC location', async () => {
    expect((await sanitized('jpeg-trailer-after-eoi.jpg')).removedMetadata).toContain('trailer');
    expect((await sanitized('png-text-chunks.png')).removedMetadata).toEqual(expect.arrayContaining(['text', 'trailer', 'exif', 'gps']));
    expect((await sanitized('real/IMG_5195.HEIC')).removedMetadata).toEqual(expect.arrayContaining(['gps', 'icc']));
  });

  it('is empty for a photo that carried nothing', async () => {
    const bare = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c08060' } }).png().toBuffer();
    expect((await sanitizePhoto(bare, LIMITS)).removedMetadata).toEqual([]);
  });
});

describe('inputs beyond the fixtures', () => {
  const red = { r: 255, g: 0, b: 0 };
  const green = { r: 0, g: 255, b: 0 };
  const solid = (background: { r: number; g: number; b: number }, width = 64, height = 48): Promise<Buffer> =>
    sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

  it('accepts AVIF and strips its EXIF', async () => {
    const avif = await sharp(await solid(red)).withExif({ IFD0: { Artist: 'John Doe', HostComputer: 'ROE-LAPTOP' } }).avif().toBuffer();
    expect((await sharp(avif).metadata()).exif).toBeDefined();
    const photo = await sanitizePhoto(avif, LIMITS);
    expect(photo.sourceType).toBe('avif');
    expect(photo.removedMetadata).toContain('exif');
    await expectCleanJpeg(photo.image);
    expect(isRed((await samplePixels(photo.image, [[0.5, 0.5]]))[0]!)).toBe(true);
  });

  it('refuses a cut-off AVIF with 422', async () => {
    const avif = await sharp(await solid(red, 256, 256)).avif().toBuffer();
    const error = await refusal(avif.subarray(0, Math.floor(avif.length * 0.6)));
    expect(error.statusCode).toBe(422);
  });

  it('keeps only the first page of a multi-page TIFF', async () => {
    const tiff = await sharp([await solid(red), await solid(green)], { join: { animated: true } }).tiff().toBuffer();
    expect((await sharp(tiff).metadata()).pages).toBe(2);
    const photo = await sanitizePhoto(tiff, LIMITS);
    expect([photo.width, photo.height]).toEqual([64, 48]);
    expect(isRed((await samplePixels(photo.image, [[0.5, 0.5]]))[0]!)).toBe(true);
  });

  it('keeps only the first frame of an animated WebP', async () => {
    const webp = await sharp([await solid(red), await solid(green)], { join: { animated: true } }).webp({ lossless: true }).toBuffer();
    const photo = await sanitizePhoto(webp, LIMITS);
    expect([photo.width, photo.height]).toEqual([64, 48]);
    expect(isRed((await samplePixels(photo.image, [[0.5, 0.5]]))[0]!)).toBe(true);
  });

  it('puts transparent areas on white, not black', async () => {
    const transparent = await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const [pixel] = await samplePixels((await sanitizePhoto(transparent, LIMITS)).image, [[0.5, 0.5]]);
    expect(pixel).toEqual({ r: 255, g: 255, b: 255 });
  });

  it('converts CMYK and Display P3 photos to untagged sRGB', async () => {
    const cmyk = await sharp(await solid(red)).toColourspace('cmyk').jpeg().toBuffer();
    const p3 = await sharp(await solid(red)).withIccProfile('p3').jpeg({ quality: 100 }).toBuffer();
    for (const input of [cmyk, p3]) {
      const photo = await sanitizePhoto(input, LIMITS);
      await expectCleanJpeg(photo.image);
      expect((await sharp(photo.image).metadata()).channels).toBe(3);
      expect(isRed((await samplePixels(photo.image, [[0.5, 0.5]]))[0]!)).toBe(true);
    }
  });

  it('converts a greyscale 16-bit PNG to an 8-bit sRGB JPEG', async () => {
    const grey = await sharp(await solid({ r: 90, g: 90, b: 90 })).greyscale().png({ bitdepth: 16 } as never).toBuffer();
    const photo = await sanitizePhoto(grey, LIMITS);
    const metadata = await sharp(photo.image).metadata();
    expect(metadata).toMatchObject({ space: 'srgb', channels: 3, depth: 'uchar' });
  });
});
