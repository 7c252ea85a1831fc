// Photos that are real but unusual, through the whole pipeline (sanitizePhoto) alone: JPEG frames libjpeg
// cannot decode (12-bit, lossless, hierarchical) refused as 415 UNSUPPORTED_IMAGE rather than "damaged",
// arithmetic coding decoded, progressive files with too many scans refused from their structure, and HEIF
// files decoded from their primary image with its transforms, whatever else they hold (the shapes of the
// nokiatech HEIF conformance files outside testing used).
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { closeHeicDecoder, decodeHeic } from '../../../src/photos/heic-decoder.js';
import { sanitizePhoto } from '../../../src/photos/pipeline.js';
import { buildHeif, clap, gridData, imir, iphoneHeicParts, iphoneTile, irot, ispe, overlayData, sequenceOnly } from '../../helpers/heif.js';
import { progressiveJpegWithScans } from '../../helpers/hostile-files.js';
import { plainJpeg, refusalOf } from '../../helpers/images.js';

const LIMITS = { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 };
/** The most scans a progressive JPEG may have (src/photos/container.ts). */
const MAX_JPEG_SCANS = 100;

const refusal = (input: Buffer) => refusalOf(input, LIMITS);

afterAll(async () => closeHeicDecoder());

/** A baseline JPEG whose frame header says another coding process or sample precision. */
async function withFrame(marker: number, precision: number): Promise<Buffer> {
  const jpeg = Buffer.from(await plainJpeg(64, 48));
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg[sof + 1] = marker;
  jpeg[sof + 4] = precision;
  return jpeg;
}

describe('JPEG frames', () => {
  it.each([
    ['12-bit samples', 0xc1, 12, /12-bit/],
    ['16-bit lossless', 0xc3, 16, /lossless/],
    ['8-bit lossless', 0xc3, 8, /lossless/],
    ['hierarchical', 0xc5, 8, /hierarchical/],
    ['lossless arithmetic', 0xcb, 8, /lossless/],
  ])('refuses %s with 415 UNSUPPORTED_IMAGE and a plain message, never 422', async (_what, marker, precision, message) => {
    const error = await refusal(await withFrame(marker, precision));
    expect(error).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_IMAGE' });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/ordinary JPEG/);
  });

  it('accepts arithmetic-coded JPEGs, sequential and progressive (jpegtran -arithmetic)', async () => {
    const plain = await plainJpeg(96, 64);
    for (const args of [['-arithmetic'], ['-arithmetic', '-progressive']]) {
      const arithmetic = execFileSync('jpegtran', args, { input: plain });
      expect(arithmetic.includes(Buffer.from([0xff, 0xcc])) || arithmetic.includes(Buffer.from([0xff, 0xc9])) || arithmetic.includes(Buffer.from([0xff, 0xca]))).toBe(true);
      const photo = await sanitizePhoto(arithmetic, LIMITS);
      expect([photo.width, photo.height]).toEqual([96, 64]);
    }
  });

  it(`refuses a progressive JPEG of more than ${MAX_JPEG_SCANS} scans from its structure, and takes one of ${MAX_JPEG_SCANS}`, async () => {
    const error = await refusal(progressiveJpegWithScans(64, 64, MAX_JPEG_SCANS + 1));
    expect(error).toMatchObject({ statusCode: 422, code: 'IMAGE_TOO_COMPLEX' });
    const photo = await sanitizePhoto(progressiveJpegWithScans(64, 64, MAX_JPEG_SCANS), LIMITS);
    expect([photo.width, photo.height]).toEqual([64, 64]);
  });

});

describe('HEIF: the primary image, with its transforms', () => {
  const parts = iphoneHeicParts();
  const tile = (id: number, index: number, options: { hidden?: boolean; extra?: Buffer[] } = {}) => iphoneTile(parts, id, index, options);
  const sanitized = (file: Buffer) => sanitizePhoto(file, LIMITS);

  it('stores the primary grid, not the first tile listed before it (conformance C007)', async () => {
    const file = buildHeif({
      items: [tile(1, 0), tile(2, 1), tile(3, 7), tile(4, 8), { id: 10, type: 'grid', data: gridData(2, 2, 1000, 900), properties: [ispe(1000, 900)] }],
      primary: 10,
      references: [{ type: 'dimg', from: 10, to: [1, 2, 3, 4] }],
    });
    const photo = await sanitized(file);
    expect([photo.width, photo.height]).toEqual([1000, 900]);
  });

  it('stores the primary image when another, larger image is listed first (an alternative)', async () => {
    const file = buildHeif({
      items: [
        tile(1, 0),
        tile(2, 1),
        tile(3, 7),
        tile(4, 8),
        { id: 10, type: 'grid', data: gridData(2, 2, 1024, 1024), properties: [ispe(1024, 1024)] },
        tile(20, 20),
      ],
      primary: 20,
      references: [{ type: 'dimg', from: 10, to: [1, 2, 3, 4] }],
    });
    const photo = await sanitized(file);
    expect([photo.width, photo.height]).toEqual([512, 512]);
  });

  it('applies the clean aperture, then the rotation and the mirror (MIAF007)', async () => {
    const file = buildHeif({ items: [tile(1, 10, { extra: [clap(480, 448), irot(1), imir(0)] })], primary: 1 });
    const photo = await sanitized(file);
    expect([photo.width, photo.height]).toEqual([448, 480]);
    // The same as libheif's own rendering of the transforms.
    const reference = await decodeHeic(file);
    expect([reference.width, reference.height]).toEqual([448, 480]);
  });

  it('decodes a transformed copy (iden) and an overlay (iovl) as their primary images', async () => {
    const iden = buildHeif({ items: [tile(1, 10, { hidden: true }), { id: 10, type: 'iden', properties: [ispe(512, 512), irot(2)] }], primary: 10, references: [{ type: 'dimg', from: 10, to: [1] }] });
    expect(await sanitized(iden)).toMatchObject({ width: 512, height: 512 });
    const overlay = buildHeif({
      items: [tile(1, 10, { hidden: true }), tile(2, 11, { hidden: true }), { id: 10, type: 'iovl', data: overlayData(1200, 600, [[0, 0], [600, 50]]), properties: [ispe(1200, 600)] }],
      primary: 10,
      references: [{ type: 'dimg', from: 10, to: [1, 2] }],
    });
    expect(await sanitized(overlay)).toMatchObject({ width: 1200, height: 600 });
  });

  it('decodes the primary image when another item has a fault libheif refuses the whole file for (C021, C013)', async () => {
    // An overlay that places one image twice: libheif rejects any file holding it ("double references").
    const file = buildHeif({
      items: [tile(1, 10), { id: 10, type: 'iovl', data: overlayData(1200, 600, [[0, 0], [600, 50]]), properties: [ispe(1200, 600)] }],
      primary: 1,
      references: [{ type: 'dimg', from: 10, to: [1, 1] }],
    });
    await expect(decodeHeic(file)).rejects.toThrow();
    expect(await sanitized(file)).toMatchObject({ width: 512, height: 512 });
  });

  it('refuses a file that holds only an image sequence with 415 UNSUPPORTED_IMAGE, saying so plainly', async () => {
    const error = await refusal(sequenceOnly());
    expect(error).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_IMAGE' });
    expect(error.message).toMatch(/moving picture/);
  });

});
