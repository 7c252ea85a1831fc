import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageCorruptError } from '../../../src/errors.js';
import { rgbaToTiff, tiffPixelOffset } from '../../../src/photos/decode.js';
import { closeHeicDecoder, decodeHeic } from '../../../src/photos/heic-decoder.js';
import { fixture } from '../../helpers/images.js';

afterAll(async () => {
  await closeHeicDecoder();
});

describe('rgbaToTiff', () => {
  it('hands sharp the exact pixels with the colour profile attached', async () => {
    const width = 3;
    const height = 2;
    const data = Buffer.from(Array.from({ length: width * height * 4 }, (_, i) => (i * 37) % 256));
    const icc = (await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).withIccProfile('p3').jpeg().toBuffer()
      .then((jpeg) => sharp(jpeg).metadata())).icc!;

    const tiff = rgbaToTiff({ width, height, data }, icc);
    const metadata = await sharp(tiff).metadata();
    expect(metadata).toMatchObject({ format: 'tiff', width, height, channels: 4, hasAlpha: true });
    expect(metadata.icc?.equals(icc)).toBe(true);
    const pixels = await sharp(tiff, { ignoreIcc: true }).raw().toBuffer();
    expect(pixels.equals(data)).toBe(true);
  });

  it('writes the header into the head room in front of the pixels instead of copying them', async () => {
    const width = 4;
    const height = 3;
    const icc = (await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).withIccProfile('p3').jpeg().toBuffer()
      .then((jpeg) => sharp(jpeg).metadata())).icc!;
    const headRoom = tiffPixelOffset(icc);
    const allocation = Buffer.alloc(headRoom + width * height * 4);
    const data = allocation.subarray(headRoom);
    data.forEach((_, i) => (data[i] = (i * 53) % 256));
    const expected = Buffer.from(data);

    const tiff = rgbaToTiff({ width, height, data, headRoom }, icc);
    expect(tiff.buffer).toBe(allocation.buffer);
    expect(tiff.byteOffset).toBe(allocation.byteOffset);
    expect((await sharp(tiff, { ignoreIcc: true }).raw().toBuffer()).equals(expected)).toBe(true);
    expect((await sharp(tiff).metadata()).icc?.equals(icc)).toBe(true);
  });
});

describe('decodeHeic', () => {
  it('decodes the iPhone HEIC upright, with irot applied (portrait 2566x3313)', async () => {
    const input = fixture('real/IMG_5195.HEIC');
    const image = await decodeHeic(input);
    expect([image.width, image.height]).toEqual([2566, 3313]);
    expect(image.data.length).toBe(2566 * 3313 * 4);
    // What goes to the worker is a transferred copy: the caller's buffer stays usable.
    expect(input.length).toBe(833_284);
    expect(input.toString('latin1', 4, 12)).toBe('ftypheic');
  });

  it('leaves the head room asked for in front of the same pixels', async () => {
    const input = fixture('real/IMG_5195.HEIC');
    const plain = await decodeHeic(input);
    const roomy = await decodeHeic(input, { headRoom: 1000 });
    expect(roomy.headRoom).toBe(1000);
    expect(roomy.data.byteOffset).toBe(1000);
    expect(roomy.data.buffer.byteLength).toBe(1000 + 2566 * 3313 * 4);
    expect(roomy.data.equals(plain.data)).toBe(true);
  });

  it('decodes HEIF files whose major brand is not heic (heim, msf1)', async () => {
    for (const brand of ['heim', 'msf1']) {
      const renamed = Buffer.from(fixture('real/IMG_5195.HEIC'));
      renamed.write(brand, 8, 'latin1');
      await expect(decodeHeic(renamed)).resolves.toMatchObject({ width: 2566, height: 3313 });
    }
  });

  it('keeps the event loop free while it decodes (the work runs in a worker thread)', async () => {
    // Counting timer callbacks rather than timing them: on the main thread the WASM decode would block the loop
    // for its whole duration and no callback could run, however fast or loaded the machine is.
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 2);
    try {
      await decodeHeic(fixture('real/IMG_5195.HEIC'));
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThanOrEqual(20);
  });

  it('refuses data libheif cannot decode as corrupt, and keeps working afterwards', async () => {
    const heic = fixture('real/IMG_5195.HEIC');
    const damaged = Buffer.from(heic);
    damaged.fill(0, damaged.indexOf('mdat') + 104);
    await expect(decodeHeic(damaged)).rejects.toBeInstanceOf(ImageCorruptError);
    await expect(decodeHeic(heic.subarray(0, 24))).rejects.toBeInstanceOf(ImageCorruptError);
    // A fresh worker after shutdown decodes too.
    await closeHeicDecoder();
    await expect(decodeHeic(heic)).resolves.toMatchObject({ width: 2566, height: 3313 });
  });
});
