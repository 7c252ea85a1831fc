// Two instances on one PostgreSQL database race for each period of a periodic job: exactly one runs it,
// however close together their timers fire.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const ROUNDS = 5;

describe('periodic jobs across two instances', () => {
  let database: TestDatabase;
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase(inject('postgres').adminUrl);
    [one, two] = await Promise.all([
      startTestApp({ DATABASE_URL: database.url }, { skipOrphanSweep: true }),
      startTestApp({ DATABASE_URL: database.url }, { skipOrphanSweep: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await database?.drop();
  });

  it('runs each period of a job on exactly one of them', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ran = await Promise.all([one.app.jobs.runIfDue('sweepLapsedClaims'), two.app.jobs.runIfDue('sweepLapsedClaims')]);
      expect(ran.filter(Boolean), `round ${round}`).toHaveLength(1);
      expect(await Promise.all([one.app.jobs.runIfDue('sweepLapsedClaims'), two.app.jobs.runIfDue('sweepLapsedClaims')])).toEqual([false, false]);
      // The next period, on both instances' clocks.
      one.clock.advance(60_000);
      two.clock.advance(60_000);
    }
  });
});
