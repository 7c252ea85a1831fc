// Work the service does on its own, on a timer: lapsed claims go back to their queues (so readers and the
// queue load see them waiting before the next claim sweeps them), expired sessions and finished sign-in
// windows are dropped, and objects a crash left without a row are removed. Every instance keeps the
// timers, but a job runs only where it takes its period in the shared job_runs table, so a fleet of any
// size does each job once per period (SQLite: a fleet of one). One plugin owns the timers, so closing the
// app stops them; tests run a job at once with `app.jobs.run(name)` after moving the clock.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ACCOUNT_WINDOW_MS } from '../auth/sign-in-throttle.js';
import { reconcileObjects } from '../storage/reconcile.js';

export type JobName = 'sweepLapsedClaims' | 'purgeExpiredSessions' | 'sweepOrphanObjects' | 'announceOverdue' | 'sendDigests' | 'purgeNotifications';

/** Events stay this long for streams to resume from; sent emails and deliveries stay in the log this long. */
const OUTBOX_KEPT_MS = 7 * 24 * 3_600_000;
const DELIVERY_LOG_KEPT_MS = 30 * 24 * 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    jobs: {
      /** Runs the job now, whatever other instances did (tests, operators). */
      run(name: JobName): Promise<void>;
      /** What the timer does: runs the job only if this instance takes the current period. */
      runIfDue(name: JobName): Promise<boolean>;
    };
  }
}

export interface PeriodicJobsOptions {
  /** Leave the orphan-object sweep out (tests that count objects themselves). */
  skipOrphanSweep?: boolean;
}

interface Job {
  everyMs: number;
  /** Also run once as this instance starts (whatever the fleet did): a restart after a crash cleans up at once. */
  atStart?: boolean;
  run: (signal: AbortSignal) => Promise<void>;
}

/**
 * Timers of different instances drift against each other; a period counts as taken a little before it
 * ends, so that one instance's own timer never misses its turn by a few milliseconds.
 */
const PERIOD_SLACK = 0.9;

export default fp<PeriodicJobsOptions>(
  async function periodicJobs(app: FastifyInstance, options) {
    const stopping = new AbortController();
    const jobs: Partial<Record<JobName, Job>> = {
      sweepLapsedClaims: {
        // Often enough that a lapsed claim shows as waiting within about half a lease.
        everyMs: Math.min(60_000, Math.max(1000, Math.floor(app.config.claimLeaseMs / 2))),
        run: async () => app.repos.audit.recordLapsedClaims(await app.repos.reviews.sweepLapsed()),
      },
      purgeExpiredSessions: {
        everyMs: 10 * 60_000,
        run: async () => {
          await app.repos.sessions.purgeExpired();
          await app.repos.signInFailures.purge(app.clock.now() - ACCOUNT_WINDOW_MS);
        },
      },
      announceOverdue: {
        // A deadline is announced within a minute of passing.
        everyMs: 60_000,
        run: async () => void (await app.repos.reviews.announceOverdue(app.clock.now())),
      },
      sendDigests: {
        everyMs: 24 * 3_600_000,
        run: async () => void (await app.notifier.dispatcher.sendDigests()),
      },
      purgeNotifications: {
        everyMs: 6 * 3_600_000,
        run: async () => {
          await app.repos.outbox.purge(app.clock.now() - OUTBOX_KEPT_MS);
          await app.repos.notifications.purge(app.clock.now() - DELIVERY_LOG_KEPT_MS);
        },
      },
    };
    if (!options.skipOrphanSweep) {
      jobs.sweepOrphanObjects = {
        everyMs: 60 * 60_000,
        // After a crash the orphans are swept soon; start-up does not wait for a large bucket's listing.
        atStart: true,
        run: async (signal) => {
          await reconcileObjects({ store: app.store, keyHasRow: (key) => app.repos.cases.objectKeyExists(key), log: app.log }, { signal });
        },
      };
    }

    function job(name: JobName): Job {
      const found = jobs[name];
      if (!found) throw new Error(`The periodic job ${name} is not enabled`);
      return found;
    }

    async function runIfDue(name: JobName): Promise<boolean> {
      const { everyMs, run } = job(name);
      await app.databaseReady();
      if (!(await app.repos.jobRuns.takePeriod(name, Math.floor(everyMs * PERIOD_SLACK), app.clock.now()))) return false;
      await run(stopping.signal);
      return true;
    }

    const running = new Set<Promise<unknown>>();
    function inBackground(name: JobName, work: () => Promise<unknown>) {
      const run = work()
        .catch((err: unknown) => {
          if (!stopping.signal.aborted) app.log.warn({ err: { message: (err as Error).message }, job: name }, 'periodic job failed');
        })
        .finally(() => running.delete(run));
      running.add(run);
    }

    const timers = (Object.entries(jobs) as [JobName, Job][]).map(([name, { everyMs }]) => {
      const timer = setInterval(() => inBackground(name, () => runIfDue(name)), everyMs);
      timer.unref();
      return timer;
    });
    app.addHook('onReady', async () => {
      for (const [name, { atStart, run }] of Object.entries(jobs) as [JobName, Job][]) {
        if (atStart) inBackground(name, async () => run(stopping.signal));
      }
    });
    app.addHook('onClose', async () => {
      timers.forEach(clearInterval);
      stopping.abort();
      await Promise.all(running);
    });

    app.decorate('jobs', { run: (name: JobName) => job(name).run(stopping.signal), runIfDue });
  },
  { name: 'periodic-jobs', dependencies: ['app-context', 'notifications'] },
);
