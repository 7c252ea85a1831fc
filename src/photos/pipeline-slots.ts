// Bounds how many photos are decoded and encoded at once. One 12 MP photo holds ~150-200 MB of
// pixels and JPEG coefficient buffers while it is worked on; without a bound, libuv runs four at a
// time (its thread pool size) whatever the core count, which neither finishes sooner on two cores
// nor fits in memory. Waiting photos hold only their compressed bytes.
import os from 'node:os';

export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `active` never dips in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/**
 * One photo more than there are cores: with exactly one per core the cores sat ~5 % idle at 8 concurrent
 * uploads while photos moved between decoding and storage; one more fills that (+6 % photos/s, +20 MB
 * peak RSS in scripts/bench.ts). More only adds memory and contention.
 */
export const pipelineSlots = new Slots(os.availableParallelism() + 1);
