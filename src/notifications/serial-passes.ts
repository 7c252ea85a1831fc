// A job run in passes, one at a time: asked again while a pass runs, it runs once more right after (a wake-up
// is never lost, and two passes never overlap). The dispatcher and the live-event reader both work this way.

export interface SerialPasses {
  /** Runs a pass now, or once more after the running one; resolves when no pass is left to run. */
  run(this: void): Promise<void>;
  /** The pass running now, if any (to wait for it when stopping). */
  readonly running: Promise<void> | null;
}

export function serialPasses(pass: () => Promise<void>, { stopped, onError, onSuccess }: { stopped: () => boolean; onError: (err: Error) => void; onSuccess?: () => void }): SerialPasses {
  let running: Promise<void> | null = null;
  let again = false;
  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again && !stopped());
        onSuccess?.();
      } catch (err) {
        onError(err as Error);
      } finally {
        running = null;
      }
    })();
    return running;
  }
  return {
    run,
    get running() {
      return running;
    },
  };
}
