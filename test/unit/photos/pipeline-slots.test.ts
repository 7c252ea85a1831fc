// The pipeline's admission: photos at once by count and by memory, first come first served, and a waiting
// photo whose upload was given up leaving the queue without ever running.
import { describe, expect, it } from 'vitest';
import { Slots } from '../../../src/photos/pipeline-slots.js';

/** A task that runs until released, recording that it started. */
function gate(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('runs at most `size` tasks at once, the next one starting as one ends', async () => {
    const slots = new Slots(2);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gate(started, n));
    const runs = [slots.run(a!.task), slots.run(b!.task), slots.run(c!.task)];
    await tick();
    expect(started).toEqual(['a', 'b']);
    a!.release();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    b!.release();
    c!.release();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
  });

  it('holds back a photo whose memory does not fit beside those in flight, and lets none overtake it', async () => {
    const slots = new Slots(8);
    const started: string[] = [];
    const [big1, big2, small] = ['big1', 'big2', 'small'].map((n) => gate(started, n));
    const runs = [
      slots.run(big1!.task, { bytes: 600, budget: 1000 }),
      slots.run(big2!.task, { bytes: 600, budget: 1000 }),
      slots.run(small!.task, { bytes: 100, budget: 1000 }),
    ];
    await tick();
    // The small one would fit, but waits behind big2, which would otherwise wait for ever.
    expect(started).toEqual(['big1']);
    big1!.release();
    await tick();
    expect(started).toEqual(['big1', 'big2', 'small']);
    big2!.release();
    small!.release();
    await Promise.all(runs);
  });

  it('runs a photo larger than the whole budget alone rather than never', async () => {
    const slots = new Slots(4);
    const started: string[] = [];
    const huge = gate(started, 'huge');
    const run = slots.run(huge.task, { bytes: 5000, budget: 1000 });
    await tick();
    expect(started).toEqual(['huge']);
    huge.release();
    await run;
  });

  it('drops a waiting task whose signal aborts: it never runs, and the queue moves on', async () => {
    const slots = new Slots(1);
    const started: string[] = [];
    const [first, gone, next] = ['first', 'gone', 'next'].map((n) => gate(started, n));
    const controller = new AbortController();
    const runFirst = slots.run(first!.task);
    const runGone = slots.run(gone!.task, { signal: controller.signal });
    const runNext = slots.run(next!.task);
    controller.abort(new Error('the client went away'));
    await expect(runGone).rejects.toThrow('the client went away');
    first!.release();
    await tick();
    expect(started).toEqual(['first', 'next']);
    next!.release();
    await Promise.all([runFirst, runNext]);
    // An already aborted signal is refused at once.
    await expect(slots.run(async () => 'late', { signal: controller.signal })).rejects.toThrow('the client went away');
  });
});
