// Work the service does on its own, on a timer: lapsed claims go back to their queues (so readers and the
// queue load see them waiting before the next claim sweeps them), and expired sessions and finished
// sign-in windows are dropped. One plugin owns the timers, so closing the app stops them; tests run a job
// at once with `app.jobs.run(name)` after moving the clock, instead of waiting for its timer.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ACCOUNT_WINDOW_MS } from '../auth/sign-in-throttle.js';

export type JobName = 'sweepLapsedClaims' | 'purgeExpiredSessions';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: { run(name: JobName): Promise<void> };
  }
}

interface Job {
  everyMs: number;
  run(): Promise<void>;
}

export default fp(
  async function periodicJobs(app: FastifyInstance) {
    const jobs: Record<JobName, Job> = {
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
    };

    const timers = Object.entries(jobs).map(([name, job]) => {
      const timer = setInterval(() => {
        job.run().catch((err: unknown) => app.log.warn({ err, job: name }, 'periodic job failed'));
      }, job.everyMs);
      timer.unref();
      return timer;
    });
    app.addHook('onClose', async () => timers.forEach(clearInterval));

    app.decorate('jobs', { run: (name: JobName) => jobs[name].run() });
  },
  { name: 'periodic-jobs', dependencies: ['app-context'] },
);
