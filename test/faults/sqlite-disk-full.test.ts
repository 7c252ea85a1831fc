// SQLite cannot write (the disk is full): the request fails with a clear 503, nothing is half-stored,
// the database stays intact, and the service recovers by itself once space is back.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, objectKeys, postCase } from '../helpers/cases.js';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('disk full under SQLite', () => {
  it('answers 503 DATABASE_FULL, removes the stored objects, keeps the database intact, and recovers', async () => {
    t = await startTestApp({}, { skipOrphanSweep: true });
    const clinician = await t.createUser('clinician');
    const sqlite = t.app.database.sqlite!;
    expect((await postCase(t, clinician.token, ['real/DSCN0010.jpg'])).status).toBe(201);
    const before = { cases: await countRows(t, 'cases'), photos: await countRows(t, 'photos'), objects: (await objectKeys(t)).length };

    // The database may not grow by a single page, and has no free page left: a case whose history
    // needs an overflow page cannot be written (SQLITE_FULL), as on a full disk.
    sqlite.exec('create table test_filler (b blob)');
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    const fill = sqlite.prepare('insert into test_filler values (zeroblob(512))');
    expect(() => {
      for (;;) fill.run();
    }).toThrow(/full/);
    try {
      const res = await postCase(t, clinician.token, ['real/DSCN0012.jpg', 'real/nikon-e950.jpg'], { history: 'Scaly plaque. '.repeat(300) });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'DATABASE_FULL', requestId: expect.any(String) });
      expect(res.headers['retry-after']).toBeDefined();
      expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|insert|stack/i);
      expect(t.logs.join('')).toMatch(/DATABASE_FULL/);
      // The failed query's text and values (the case's history) stay out of the log.
      expect(t.logs.join('')).not.toMatch(/Scaly plaque|insert into/i);
    } finally {
      sqlite.pragma('max_page_count = 1073741823');
    }

    expect(await countRows(t, 'cases')).toBe(before.cases);
    expect(await countRows(t, 'photos')).toBe(before.photos);
    expect((await objectKeys(t)).length).toBe(before.objects);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);

    const again = await postCase(t, clinician.token, ['real/DSCN0012.jpg']);
    expect(again.status).toBe(201);
    expect(await countRows(t, 'photos')).toBe(before.photos + 1);
  });
});
