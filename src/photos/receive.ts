// Collects an upload stream into memory under a hard byte limit, so an oversized file is refused
// at the first byte too many rather than after it has arrived.

import type { Readable } from 'node:stream';
import { BadRequestError, FileTooLargeError } from '../errors.js';

export interface ReceivedFile {
  buffer: Buffer;
  bytes: number;
}

export interface ReadLimitedOptions {
  /**
   * What to do with the rest of an oversized stream. 'drain' (default) keeps reading and
   * discarding, so a multipart parser can reach the end and the client can read the 413;
   * 'destroy' stops the source at once (for a raw socket you are about to close).
   */
  onLimit?: 'drain' | 'destroy';
}

export function readLimited(stream: Readable, maxBytes: number, options: ReadLimitedOptions = {}): Promise<ReceivedFile> {
  const onLimit = options.onLimit ?? 'drain';
  return new Promise<ReceivedFile>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;

    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // Late errors from a drained or destroyed stream must not become uncaught exceptions.
      stream.on('error', () => {});
    };
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      cleanup();
      reject(error);
    };
    function onData(chunk: Buffer | string): void {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += data.length;
      if (bytes > maxBytes) {
        chunks.length = 0;
        fail(new FileTooLargeError(maxBytes));
        if (onLimit === 'destroy') stream.destroy();
        else stream.resume();
        return;
      }
      chunks.push(data);
    }
    function onEnd(): void {
      if (done) return;
      if (bytes === 0) {
        fail(new BadRequestError('The file is empty', 'EMPTY_FILE'));
        return;
      }
      done = true;
      cleanup();
      resolve({ buffer: Buffer.concat(chunks, bytes), bytes });
    }
    function onError(error: Error): void {
      fail(error);
    }

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
