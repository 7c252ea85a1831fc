import { describe, expect, it } from 'vitest';
import { ImageCorruptError, ImageTooLargeError } from '../../../src/errors.js';
import { checkContainer } from '../../../src/photos/container.js';
import { readHeader as readHeaderOf } from '../../../src/photos/dimensions.js';
import { readHeifStructure } from '../../../src/photos/isobmff.js';
import type { SourceType } from '../../../src/photos/sniff.js';
import { buildHeif, ispe } from '../../helpers/heif.js';
import { pngHeaderOverGarbage } from '../../helpers/hostile-files.js';
import { fixture } from '../../helpers/images.js';

const MAX_PIXELS = 100_000_000;

/** The header as the pipeline reads it: after the container checks. */
const readHeader = async (input: Buffer, type: SourceType, maxPixels: number) => readHeaderOf(checkContainer(input, type, { maxDecodeSeconds: 60 }), type, maxPixels);

describe('readHeader', () => {
  it('refuses a PNG bomb from its header without decoding', async () => {
    const result = readHeader(fixture('bomb-30000x30000.png'), 'png', MAX_PIXELS);
    await expect(result).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(result).rejects.toMatchObject({ statusCode: 413, code: 'IMAGE_TOO_LARGE' });
    await expect(result).rejects.toThrow(/30000x30000.*900 megapixels.*100 megapixels/);
    // The header alone decides: behind it, image data that any decoder would call corrupt.
    await expect(readHeader(pngHeaderOverGarbage(30000, 30000), 'png', MAX_PIXELS)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('reads JPEG dimensions as stored (before orientation)', async () => {
    const header = await readHeader(fixture('jpeg-all-metadata-orient6.jpg'), 'jpeg', MAX_PIXELS);
    expect([header.width, header.height]).toEqual([1600, 1200]);
  });

  it('reads HEIC dimensions from the header', async () => {
    const header = await readHeader(fixture('real/IMG_5195.HEIC'), 'heic', MAX_PIXELS);
    expect([header.width, header.height]).toEqual([2566, 3313]);
  });

  it('refuses a HEIC over the limit before the WASM decoder sees it', async () => {
    await expect(readHeader(fixture('real/IMG_5195.HEIC'), 'heic', 1_000_000)).rejects.toBeInstanceOf(ImageTooLargeError);
  });

  it('refuses a cut-off HEIC as corrupt', async () => {
    const heic = fixture('real/IMG_5195.HEIC');
    await expect(readHeader(heic.subarray(0, Math.floor(heic.length * 0.6)), 'heic', MAX_PIXELS)).rejects.toBeInstanceOf(ImageCorruptError);
  });

  it('refuses a header that cannot be read as corrupt', async () => {
    const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);
    await expect(readHeader(garbage, 'png', MAX_PIXELS)).rejects.toBeInstanceOf(ImageCorruptError);
  });
});

/** A HEIF whose items have the given sizes (no coded data: enough for the structure); item 1 is primary. */
function heif(options: { thumbnail: boolean; items: [number, number][] }): Buffer {
  return buildHeif({
    items: options.items.map(([w, h], i) => ({ id: i + 1, type: 'hvc1' as const, properties: [ispe(w, h)] })),
    primary: 1,
    references: options.thumbnail ? [{ type: 'thmb' as const, from: 2, to: [1] }] : [],
  });
}

describe('readHeifStructure', () => {
  it('lists the ispe size of every item, tiles included', () => {
    const structure = readHeifStructure(fixture('real/IMG_5195.HEIC'));
    expect(structure.itemSizes.length).toBeGreaterThan(1);
    const largest = Math.max(...structure.itemSizes.map(({ width, height }) => width * height));
    expect(largest).toBeGreaterThanOrEqual(2566 * 3313);
  });

  it('notices a thumbnail reference, and its absence', () => {
    expect(readHeifStructure(heif({ thumbnail: true, items: [[100, 80], [20, 16]] })).hasThumbnail).toBe(true);
    expect(readHeifStructure(heif({ thumbnail: false, items: [[100, 80]] })).hasThumbnail).toBe(false);
    expect(readHeifStructure(fixture('real/IMG_5195.HEIC')).hasThumbnail).toBe(false);
  });

  it('refuses any item over the limit, not only the primary image', async () => {
    const hidden = heif({ thumbnail: false, items: [[100, 80], [40_000, 40_000]] });
    await expect(readHeader(hidden, 'heic', MAX_PIXELS)).rejects.toBeInstanceOf(ImageTooLargeError);
  });

  it('treats a box that claims more bytes than the file has as corruption', () => {
    const whole = heif({ thumbnail: false, items: [[100, 80]] });
    expect(() => readHeifStructure(whole.subarray(0, whole.length - 10))).toThrow(ImageCorruptError);
  });
});
