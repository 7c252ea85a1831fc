import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JpegToolError, runJpegTool } from '../../../src/photos/jpeg-tools.js';

const run = (args: string[], input: Buffer, extra: { maxOutputBytes?: number; signal?: AbortSignal } = {}) =>
  runJpegTool('djpeg', args, { input, maxOutputBytes: extra.maxOutputBytes ?? 10_000_000, seconds: 60, signal: extra.signal });

describe('runJpegTool', () => {
  it('returns what the tool wrote', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c08070' } }).jpeg().toBuffer();
    const ppm = await run(['-scale', '4/8'], jpeg);
    expect(ppm.toString('latin1', 0, 13)).toBe('P6\n20 15\n255\n');
    expect(ppm.length).toBe(13 + 20 * 15 * 3);
  });

  it('rejects data the tool refuses, warnings included, and output beyond the ceiling', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    await expect(run([], Buffer.from('not a JPEG'))).rejects.toBeInstanceOf(JpegToolError);
    // Cut in its scan: libjpeg decodes what is there and warns (exit 2).
    await expect(run([], jpeg.subarray(0, jpeg.length - 200))).rejects.toThrow(/warnings/);
    await expect(run([], jpeg, { maxOutputBytes: 1000 })).rejects.toThrow(/more than 1000 bytes/);
  });

  it('stops at once when the upload is abandoned', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(run([], Buffer.alloc(10), { signal: controller.signal })).rejects.toBe(reason);

    // And while it runs: a 12 MP decode is killed, not waited for.
    const large = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#c08070' } }).jpeg().toBuffer();
    const running = new AbortController();
    const decoding = run([], large, { maxOutputBytes: 100_000_000, signal: running.signal });
    setImmediate(() => running.abort(reason));
    await expect(decoding).rejects.toBe(reason);
  });
});
