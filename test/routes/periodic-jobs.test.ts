// Periodic jobs run once per period: an instance runs one only if it takes the period in the shared
// job_runs table. On SQLite the service is a fleet of one; test/scale-out/periodic-jobs.test.ts races two
// instances on one PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('periodic jobs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { skipOrphanSweep: true });
  });
  afterAll(async () => t.close());

  it('runs a job when its period is due, not again within it, and again once it has passed', async () => {
    expect(await t.app.jobs.runIfDue('purgeExpiredSessions')).toBe(true);
    expect(await t.app.jobs.runIfDue('purgeExpiredSessions')).toBe(false);
    t.clock.advance(5 * 60_000);
    expect(await t.app.jobs.runIfDue('purgeExpiredSessions')).toBe(false);
    // Its period is ten minutes; a timer a little early still gets its turn.
    t.clock.advance(4 * 60_000);
    expect(await t.app.jobs.runIfDue('purgeExpiredSessions')).toBe(true);
    // Each job has its own period.
    expect(await t.app.jobs.runIfDue('sweepLapsedClaims')).toBe(true);
  });

  it('does the work when it runs: an expired session is purged by the timer path', async () => {
    const admin = await t.adminToken();
    expect(await t.sql.count('sessions')).toBeGreaterThan(0);
    t.clock.advance(30 * 24 * 60 * 60_000);
    expect(await t.app.jobs.runIfDue('purgeExpiredSessions')).toBe(true);
    expect(await t.sql.count('sessions')).toBe(0);
    expect((await t.http.get('/api/v1/me').set('authorization', `Bearer ${admin}`)).status).toBe(401);
  });
});
