// Runs the CPU-heavy WASM HEIC decode in one lazily started worker thread, so that an iPhone photo does
// not stall every other request for the better part of a second. A decode that runs past its time limit,
// or whose client has gone, is stopped by ending the thread; the other photos it had queued are handed
// to a new thread, so one hostile file costs them a restart, never a wrong answer.

import { Worker } from 'node:worker_threads';
import { ImageCorruptError, ImageTooComplexError } from '../errors.js';

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, with the HEIF transforms (irot/imir/clap) already applied. */
  data: Buffer;
  /** How many bytes the same allocation holds before `data`, free for a header (decodeHeic's headRoom). */
  headRoom?: number;
}

export interface DecodeOptions {
  /** Bytes to reserve in front of the pixels, in the same allocation, for a header. */
  headRoom?: number;
  /** Seconds the decode itself may take (time spent waiting behind other photos is not counted). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

/** Why a job's signal aborted; our signals abort with Errors. */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('cancelled');
}

interface Job {
  id: number;
  input: ArrayBuffer;
  headRoom: number;
  maxSeconds: number;
  signal?: AbortSignal;
  resolve: (image: RgbaImage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
  onAbort: () => void;
}

type Reply = { id: number; started: true } | { id: number; width: number; height: number; data: ArrayBuffer } | { id: number; error: string };

const WORKER_URL = new URL('./heic-worker.mjs', import.meta.url);
// The WASM heap grows to fit the largest image and never shrinks: an idle worker is ended
// to give that memory back, at the price of a short restart.
const IDLE_MS = 30_000;
const DEFAULT_MAX_SECONDS = 120;

let nextId = 1;

class DecoderThread {
  private readonly worker = new Worker(WORKER_URL);
  private readonly jobs = new Map<number, Job>();
  private running: Job | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(private readonly onClosed: (orphans: Job[]) => void) {
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    // A WASM abort (out of memory, a decoder bug on hostile input) kills only this thread, and only the
    // photo it was decoding is refused.
    this.worker.on('error', () => void this.close(new ImageCorruptError()));
    this.worker.on('exit', () => void this.close(new ImageCorruptError()));
  }

  submit(job: Job): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.worker.ref();
    this.jobs.set(job.id, job);
    // A copy is transferred, each time: the caller's buffer may be a view into a shared pool, and a job
    // handed to a new thread needs its bytes again.
    const input = job.input.slice(0);
    this.worker.postMessage({ type: 'decode', id: job.id, input, headRoom: job.headRoom }, [input]);
  }

  /** The client of a job went away: drop it if it waits, end the thread if it is being decoded. */
  cancel(job: Job): void {
    if (!this.jobs.has(job.id)) return;
    if (this.running === job) {
      void this.close(abortReason(job.signal));
      return;
    }
    this.jobs.delete(job.id);
    this.worker.postMessage({ type: 'cancel', id: job.id });
    job.reject(abortReason(job.signal));
    this.idleIfDone();
  }

  /**
   * Ends the thread. The job it was decoding (if any) fails with `reason`; the jobs still waiting go
   * to a new thread, so a hostile file does not fail the photos queued behind it.
   */
  close(reason: Error): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const culprit = this.running;
    const orphans = [...this.jobs.values()].filter((job) => job !== culprit);
    this.jobs.clear();
    if (culprit) {
      if (culprit.timer) clearTimeout(culprit.timer);
      culprit.signal?.removeEventListener('abort', culprit.onAbort);
      culprit.reject(reason);
    }
    this.onClosed(orphans);
    return this.worker.terminate();
  }

  /** Ends the thread with every job failing (shutdown). */
  shutdown(reason: Error): Promise<number> {
    for (const job of this.jobs.values()) {
      if (job.timer) clearTimeout(job.timer);
      job.signal?.removeEventListener('abort', job.onAbort);
      job.reject(reason);
    }
    this.jobs.clear();
    this.running = null;
    return this.close(reason);
  }

  private onReply(reply: Reply): void {
    const job = this.jobs.get(reply.id);
    if (!job) return;
    if ('started' in reply) {
      this.running = job;
      // The limit counts the decode itself, not the wait behind other photos.
      job.timer = setTimeout(() => void this.close(new ImageTooComplexError('The photo took too long to decode: please send it as an ordinary JPEG')), job.maxSeconds * 1000);
      return;
    }
    this.jobs.delete(reply.id);
    this.running = null;
    if (job.timer) clearTimeout(job.timer);
    job.signal?.removeEventListener('abort', job.onAbort);
    if ('error' in reply) job.reject(new ImageCorruptError());
    else job.resolve({ width: reply.width, height: reply.height, data: Buffer.from(reply.data, job.headRoom), headRoom: job.headRoom });
    this.idleIfDone();
  }

  private idleIfDone(): void {
    if (this.jobs.size > 0) return;
    // Idle: do not keep the process alive, and give the WASM heap back after a while.
    this.worker.unref();
    this.idleTimer = setTimeout(() => void this.shutdown(new ImageCorruptError()), IDLE_MS);
    this.idleTimer.unref();
  }
}

let thread: DecoderThread | null = null;

function currentThread(): DecoderThread {
  if (!thread || thread.closed) thread = new DecoderThread((orphans) => orphans.forEach((job) => currentThread().submit(job)));
  return thread;
}

/** Decodes the primary image of a HEIC/HEIF file, transforms applied. */
export function decodeHeic(input: Buffer, options: DecodeOptions = {}): Promise<RgbaImage> {
  const { signal } = options;
  signal?.throwIfAborted();
  return new Promise<RgbaImage>((resolve, reject) => {
    const job: Job = {
      id: nextId++,
      input: new Uint8Array(input).buffer,
      headRoom: options.headRoom ?? 0,
      maxSeconds: options.maxSeconds ?? DEFAULT_MAX_SECONDS,
      signal,
      resolve,
      reject,
      timer: null,
      onAbort: () => thread?.cancel(job),
    };
    signal?.addEventListener('abort', job.onAbort, { once: true });
    currentThread().submit(job);
  });
}

/** For graceful shutdown and tests: ends the thread; a later decode starts a new one. */
export async function closeHeicDecoder(): Promise<void> {
  const current = thread;
  thread = null;
  if (current && !current.closed) await current.shutdown(new ImageCorruptError('The photo decoder was shut down'));
}
