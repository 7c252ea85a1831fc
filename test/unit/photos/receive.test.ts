import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BadRequestError, FileTooLargeError } from '../../../src/errors.js';
import { readLimited } from '../../../src/photos/receive.js';

function chunks(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(size, i));
}

describe('readLimited', () => {
  it('collects the stream and hashes exactly the bytes received', async () => {
    const parts = chunks(5, 1000);
    const all = Buffer.concat(parts);
    const received = await readLimited(Readable.from(parts), 10_000);
    expect(received.bytes).toBe(5000);
    expect(received.buffer.equals(all)).toBe(true);
  });

  it('accepts a file of exactly the limit', async () => {
    const received = await readLimited(Readable.from(chunks(4, 250)), 1000);
    expect(received.bytes).toBe(1000);
  });

  it('refuses with 413 as soon as the limit is crossed, without waiting for the end', async () => {
    const source = new PassThrough();
    const result = readLimited(source, 1000);
    source.write(Buffer.alloc(600));
    source.write(Buffer.alloc(600)); // the stream is left open: the refusal must not wait for 'end'
    await expect(result).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(result).rejects.toMatchObject({ statusCode: 413, code: 'FILE_TOO_LARGE' });
    source.end();
  });

  it('drains the rest of an oversized stream so the sender is not left hanging', async () => {
    const source = new PassThrough({ highWaterMark: 1024 });
    const result = readLimited(source, 1000);
    let writesAccepted = 0;
    // Far more than the buffers hold: it only finishes if someone keeps reading.
    const writer = (async () => {
      for (let i = 0; i < 200; i++) {
        if (!source.write(Buffer.alloc(1024))) await new Promise((resolve) => source.once('drain', resolve));
        writesAccepted++;
      }
      source.end();
    })();
    await expect(result).rejects.toBeInstanceOf(FileTooLargeError);
    await writer;
    expect(writesAccepted).toBe(200);
  });

  it('can destroy the source instead of draining it', async () => {
    const source = new PassThrough();
    const result = readLimited(source, 10, { onLimit: 'destroy' });
    source.write(Buffer.alloc(20));
    await expect(result).rejects.toBeInstanceOf(FileTooLargeError);
    expect(source.destroyed).toBe(true);
  });

  it('refuses an empty stream with 400 EMPTY_FILE', async () => {
    const result = readLimited(Readable.from([]), 1000);
    await expect(result).rejects.toBeInstanceOf(BadRequestError);
    await expect(result).rejects.toMatchObject({ statusCode: 400, code: 'EMPTY_FILE' });
  });

  it('passes on a stream error', async () => {
    const source = new PassThrough();
    const result = readLimited(source, 1000);
    source.destroy(new Error('connection reset'));
    await expect(result).rejects.toThrow('connection reset');
  });
});
