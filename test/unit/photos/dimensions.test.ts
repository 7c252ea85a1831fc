import { describe, expect, it } from 'vitest';
import { ImageCorruptError, ImageTooLargeError } from '../../../src/errors.js';
import { readHeader } from '../../../src/photos/dimensions.js';
import { readHeifStructure } from '../../../src/photos/isobmff.js';
import { fixture } from '../../helpers/images.js';

const MAX_PIXELS = 100_000_000;

describe('readHeader', () => {
  it('refuses a PNG bomb from its header without decoding', async () => {
    const started = performance.now();
    const result = readHeader(fixture('bomb-30000x30000.png'), 'png', MAX_PIXELS);
    await expect(result).rejects.toBeInstanceOf(ImageTooLargeError);
    await expect(result).rejects.toMatchObject({ statusCode: 413, code: 'IMAGE_TOO_LARGE' });
    await expect(result).rejects.toThrow(/30000x30000.*900 megapixels.*100 megapixels/);
    // Decoding 900 megapixels would take seconds and gigabytes; reading a header does not.
    expect(performance.now() - started).toBeLessThan(1000);
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

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}
const FULL_BOX = Buffer.alloc(4); // version 0, flags 0

function ispe(width: number, height: number): Buffer {
  const size = Buffer.alloc(8);
  size.writeUInt32BE(width, 0);
  size.writeUInt32BE(height, 4);
  return box('ispe', FULL_BOX, size);
}

function heif(options: { thumbnail: boolean; items: [number, number][] }): Buffer {
  const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const refs = options.thumbnail ? [box('thmb', Buffer.from([0, 2, 0, 1, 0, 1]))] : [];
  const meta = box('meta', FULL_BOX, box('iref', FULL_BOX, ...refs), box('iprp', box('ipco', ...options.items.map(([w, h]) => ispe(w, h)))));
  return Buffer.concat([ftyp, meta, box('mdat', Buffer.alloc(64))]);
}

describe('readHeifStructure', () => {
  it('lists the ispe size of every item, tiles included', () => {
    const structure = readHeifStructure(fixture('real/IMG_5195.HEIC'));
    expect(structure.itemSizes.length).toBeGreaterThan(1);
    const largest = Math.max(...structure.itemSizes.map(({ width, height }) => width * height));
    expect(largest).toBeGreaterThanOrEqual(2566 * 3313);
  });

  it('notices a thumbnail reference, and its absence', () => {
    expect(readHeifStructure(heif({ thumbnail: true, items: [[100, 80]] })).hasThumbnail).toBe(true);
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
