import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { closeJpegTools, JpegToolError, jpegToolsScratch, runJpegTool, runJpegTools } from '../../../src/photos/jpeg-tools.js';

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

  it('pipes one program into the next, and a failure anywhere in the pipeline fails it', async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c08070' } }).jpeg().toBuffer();
    const copy = await runJpegTools([{ tool: 'djpeg', args: ['-scale', '4/8'] }, { tool: 'cjpeg', args: ['-quality', '85'] }], { input: jpeg, maxOutputBytes: 1e6, seconds: 60 });
    expect(await sharp(copy).metadata()).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
    await expect(runJpegTools([{ tool: 'djpeg', args: [] }, { tool: 'cjpeg', args: [] }], { input: Buffer.from('not a JPEG'), maxOutputBytes: 1e6, seconds: 60 })).rejects.toBeInstanceOf(JpegToolError);
  });

  it('answers a run cut short by the runner stopping with a tool error (the photo is then re-encoded), and starts a new runner', async () => {
    const large = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#c08070' } }).jpeg().toBuffer();
    const decoding = run([], large, { maxOutputBytes: 100_000_000 });
    await new Promise<void>((resolve) => setImmediate(resolve));
    const scratch = jpegToolsScratch()!;
    expect(fs.statSync(scratch).mode & 0o777).toBe(0o700);
    closeJpegTools();
    await expect(decoding).rejects.toBeInstanceOf(JpegToolError);
    // Its scratch directory went with it.
    expect(fs.existsSync(scratch)).toBe(false);
    const ppm = await run(['-scale', '1/8'], large, { maxOutputBytes: 100_000_000 });
    expect(ppm.toString('latin1', 0, 14)).toBe('P6\n500 375\n255');
  });
});
