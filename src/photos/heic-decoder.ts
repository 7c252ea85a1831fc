// Runs the CPU-heavy WASM HEIC decode in one lazily started worker thread, so that an
// iPhone photo does not stall every other request for the better part of a second.

import { Worker } from 'node:worker_threads';
import { ImageCorruptError } from '../errors.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, with the HEIF orientation (irot/imir) already applied. */
  data: Buffer;
  /** How many bytes the same allocation holds before `data`, free for a header (decodeHeic's headRoom). */
  headRoom?: number;
}

interface Job {
  resolve: (image: RgbaImage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  headRoom: number;
}

type Reply = { id: number; width: number; height: number; data: ArrayBuffer } | { id: number; error: string };

const WORKER_URL = new URL('./heic-worker.mjs', import.meta.url);
// The WASM heap grows to fit the largest image and never shrinks: an idle worker is ended
// to give that memory back, at the price of a short restart.
const IDLE_MS = 30_000;
const DECODE_TIMEOUT_MS = 120_000;

class DecoderThread {
  private readonly worker = new Worker(WORKER_URL);
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  closed = false;

  constructor() {
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    // A WASM abort (out of memory, a decoder bug on hostile input) kills only this thread.
    this.worker.on('error', () => this.close(new ImageCorruptError()));
    this.worker.on('exit', () => this.close(new ImageCorruptError()));
  }

  decode(input: Buffer, headRoom: number): Promise<RgbaImage> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.worker.ref();
    // A copy is transferred: the caller's buffer may be a view into a shared pool.
    const copy = new Uint8Array(input).buffer;
    const id = this.nextId++;
    return new Promise<RgbaImage>((resolve, reject) => {
      // A decode that never ends is treated as hostile input; the thread is replaced.
      const timer = setTimeout(() => this.close(new ImageCorruptError('The photo took too long to decode')), DECODE_TIMEOUT_MS);
      this.jobs.set(id, { resolve, reject, timer, headRoom });
      this.worker.postMessage({ id, input: copy, headRoom }, [copy]);
    });
  }

  close(reason: Error): Promise<number> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
      job.reject(reason);
    }
    this.jobs.clear();
    return this.worker.terminate();
  }

  private onReply(reply: Reply): void {
    const job = this.jobs.get(reply.id);
    if (!job) return;
    this.jobs.delete(reply.id);
    clearTimeout(job.timer);
    if ('error' in reply) job.reject(new ImageCorruptError());
    else job.resolve({ width: reply.width, height: reply.height, data: Buffer.from(reply.data, job.headRoom), headRoom: job.headRoom });
    if (this.jobs.size === 0) {
      // Idle: do not keep the process alive, and give the WASM heap back after a while.
      this.worker.unref();
      this.idleTimer = setTimeout(() => void this.close(new ImageCorruptError()), IDLE_MS);
      this.idleTimer.unref();
    }
  }
}

let thread: DecoderThread | null = null;

/** `headRoom` bytes are reserved in front of the pixels, in the same allocation, for a header. */
export function decodeHeic(input: Buffer, headRoom = 0): Promise<RgbaImage> {
  if (!thread || thread.closed) thread = new DecoderThread();
  return thread.decode(input, headRoom);
}

/** For graceful shutdown and tests: ends the thread; a later decode starts a new one. */
export async function closeHeicDecoder(): Promise<void> {
  const current = thread;
  thread = null;
  if (current && !current.closed) await current.close(new ImageCorruptError('The photo decoder was shut down'));
}
