// Bounds the photos decoded and encoded at once, by count and by memory. One 12 MP photo holds
// ~150-200 MB of pixels and JPEG coefficient buffers while it is worked on; without a bound, libuv runs
// four at a time (its thread pool size) whatever the core count, which neither finishes sooner on two
// cores nor fits in memory. Waiting photos hold only their compressed bytes, and a photo whose client
// has gone leaves the queue without being decoded.
import os from 'node:os';

interface Waiter {
  bytes: number;
  budget: number;
  admit: () => void;
}

export class Slots {
  private active = 0;
  private usedBytes = 0;
  private readonly waiting: Waiter[] = [];

  /** @param size photos at once */
  constructor(readonly size: number) {}

  /** Photos being worked on or waiting for a slot. */
  get pending(): number {
    return this.active + this.waiting.length;
  }

  /** A photo is always admitted when nothing else runs, so one larger than the budget still goes (alone). */
  private fits(bytes: number, budget: number): boolean {
    return this.active === 0 || (this.active < this.size && this.usedBytes + bytes <= budget);
  }

  /**
   * Runs the task once a slot is free and `bytes` fit beside what the photos in flight hold, within
   * `budget` (PHOTO_MEMORY_MB; the same for every call in a running service).
   */
  async run<T>(task: () => Promise<T>, options: { bytes?: number; budget?: number; signal?: AbortSignal } = {}): Promise<T> {
    const bytes = options.bytes ?? 0;
    const budget = options.budget ?? Number.POSITIVE_INFINITY;
    const { signal } = options;
    signal?.throwIfAborted();
    // First come, first served: a large photo at the head of the queue is not overtaken for ever.
    if (this.waiting.length === 0 && this.fits(bytes, budget)) this.take(bytes);
    else await this.queue(bytes, budget, signal);
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.usedBytes -= bytes;
      this.admitWaiting();
    }
  }

  private take(bytes: number): void {
    this.active += 1;
    this.usedBytes += bytes;
  }

  private queue(bytes: number, budget: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        budget,
        admit: () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        },
      };
      const leave = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason as Error); // our signals abort with Errors
        this.admitWaiting();
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(waiter);
    });
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes, this.waiting[0]!.budget)) {
      const next = this.waiting.shift()!;
      this.take(next.bytes);
      next.admit();
    }
  }
}

/**
 * One photo more than there are cores: with exactly one per core the cores sat ~5 % idle at 8 concurrent
 * uploads while photos moved between decoding and storage; one more fills that (+6 % photos/s, +20 MB
 * peak RSS in scripts/bench.ts). More only adds memory and contention.
 */
export const pipelineSlots = new Slots(os.availableParallelism() + 1);
