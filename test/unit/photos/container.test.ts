// The container checks themselves: the PNG a decoder gets (only the chunks that make the pixels, the ICC
// profile inflated within a bound), the predicted time of a progressive JPEG, and the HEIF file rebuilt
// with the primary image alone. Their effect on whole photos is in conformance.test.ts.
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContainer } from '../../../src/photos/container.js';
import { closeHeicDecoder, decodeHeic } from '../../../src/photos/heic-decoder.js';
import { primaryOnlyHeif, readHeifStructure } from '../../../src/photos/isobmff.js';
import { MAX_ICC_BYTES, pixelsOnlyPng, walkPng } from '../../../src/photos/png-chunks.js';
import { buildHeif, colrIcc, gridData, iphoneHeicParts, iphoneTile, ispe } from '../../helpers/heif.js';
import { pngChunk, pngWith, progressiveJpegWithScans, zlibZeros } from '../../helpers/hostile-files.js';
import { fixture } from '../../helpers/images.js';

afterAll(async () => closeHeicDecoder());

describe('JPEG structure', () => {
  it('refuses a progressive JPEG whose predicted decoding time is over the limit, before decoding it', () => {
    const jpeg = progressiveJpegWithScans(8000, 8000, 60);
    expect(() => checkContainer(jpeg, 'jpeg', { maxDecodeSeconds: 1 })).toThrow(/would take too long/);
    expect(() => checkContainer(jpeg, 'jpeg', { maxDecodeSeconds: 15 })).not.toThrow();
  });
});

describe('PNG chunks', () => {
  it('gives the decoder only the chunks that make the pixels, and the same pixels', async () => {
    const input = fixture('png-text-chunks.png');
    const clean = pixelsOnlyPng(input);
    expect(walkPng(clean).chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(walkPng(clean).trailingBytes).toBe(0);
    const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(clean).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
  });

  it('keeps a real ICC profile, so that the colours convert as they should', () => {
    const icc = Buffer.alloc(3000, 7);
    const input = pngWith([pngChunk('iCCP', Buffer.concat([Buffer.from('Display P3\0\0', 'latin1'), zlib.deflateSync(icc)]))]);
    expect(walkPng(pixelsOnlyPng(input)).chunks.map((c) => c.type)).toContain('iCCP');
  });

  it(`refuses an iCCP chunk that would inflate past ${MAX_ICC_BYTES / 1024 / 1024} MiB without inflating it all`, () => {
    const input = pngWith([pngChunk('iCCP', Buffer.concat([Buffer.from('x\0\0', 'latin1'), zlibZeros(MAX_ICC_BYTES + 1)]))]);
    expect(() => pixelsOnlyPng(input)).toThrow(/colour profile/);
  });

  it('drops the animation of an APNG (acTL, fcTL, fdAT), keeping the still image', () => {
    const animated = pngWith([pngChunk('acTL', Buffer.alloc(8)), pngChunk('fcTL', Buffer.alloc(26))]);
    expect(walkPng(pixelsOnlyPng(animated)).chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('refuses a chunk that runs past the end of the file as corrupt', () => {
    const whole = pngWith([]);
    expect(() => walkPng(whole.subarray(0, whole.length - 20))).toThrow(/damaged/);
  });
});

describe('HEIF structure', () => {
  const parts = iphoneHeicParts();
  const tile = (id: number, index: number, options: { hidden?: boolean; extra?: Buffer[] } = {}) => iphoneTile(parts, id, index, options);

  it('gives the decoder the primary image alone, decoding to the same pixels (the iPhone photo)', async () => {
    const input = fixture('real/IMG_5195.HEIC');
    const structure = readHeifStructure(input);
    const primary = primaryOnlyHeif(input, structure)!;
    expect(primary.length).toBeLessThan(input.length);
    for (const gone of ['Exif', 'mime']) expect(readHeifStructure(primary).items.map((i) => i.type)).not.toContain(gone);
    const [a, b] = await Promise.all([decodeHeic(input), decodeHeic(primary)]);
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(b.data.equals(a.data)).toBe(true);
    // Its colour profile comes along, so that Display P3 still converts to sRGB.
    expect(readHeifStructure(primary).icc?.equals(structure.icc!)).toBe(true);
  });

  it('takes the colour profile of the primary grid, or of its first tile', () => {
    const icc = Buffer.from('a fake ICC profile', 'latin1');
    const onTiles = buildHeif({
      items: [tile(1, 0, { extra: [colrIcc(icc)] }), { id: 10, type: 'grid', data: gridData(1, 1, 512, 512), properties: [ispe(512, 512)] }],
      primary: 10,
      references: [{ type: 'dimg', from: 10, to: [1] }],
    });
    expect(readHeifStructure(onTiles).icc?.toString('latin1')).toBe('a fake ICC profile');
  });
});
