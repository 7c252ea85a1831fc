// GET /api/v1/audit's filters (action, period, person) and GET /api/v1/audit.csv, the same selection as a
// file a spreadsheet opens safely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CASE_INPUT } from '../helpers/cases.js';
import { auth, reviewKit } from '../helpers/review-kit.js';
import type { AuditEventBody } from '../../src/schemas/audit.js';

const HOUR = 3600_000;
const COLUMNS = ['at', 'actorType', 'actorName', 'actorEmail', 'action', 'targetType', 'targetId', 'caseRef', 'caseId', 'ip', 'requestId', 'detail', 'id'];

/** RFC 4180, written for the test: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error('the file does not end with CRLF');
  return rows;
}

/** A cell's value without the quote mark that keeps a spreadsheet from reading it as a formula. */
const plain = (cell: string | undefined) => (cell && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe('the audit trail: filters and CSV export', () => {
  let t: TestApp;
  let admin: string;
  let clinician: Awaited<ReturnType<TestApp['createUser']>>;
  /** A time between the early and the late events. */
  let middle: number;
  let late: Awaited<ReturnType<TestApp['createUser']>>;
  const people: Record<string, Awaited<ReturnType<TestApp['createUser']>>> = {};
  const HOSTILE_NAME = '=HYPERLINK("http://evil.test","click"), "Jr"\nsecond line';
  const HOSTILE_REF = '+44,"ref"';
  let caseId: string;

  async function list(query: string, token = admin): Promise<AuditEventBody[]> {
    const res = await t.http.get(`/api/v1/audit?limit=500${query}`).set(auth(token));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as AuditEventBody[];
  }

  async function csv(query: string) {
    const res = await t.http.get(`/api/v1/audit.csv${query}`).set(auth(admin));
    expect(res.status, res.text).toBe(200);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(res.text.slice(1));
    return { res, header: header!, rows: rows.map((cells) => Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!]))) };
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
    clinician = await t.createUser('clinician', { name: 'Early Clinician' });
    for (const name of ['Ann 100% Sure', 'Bea 1000 Sure', 'Cy a_b Smith', 'Di axb Smith', 'Dora MIXEDcase', HOSTILE_NAME]) people[name] = await t.createUser('clinician', { name });
    caseId = (await reviewKit(t).openCase(clinician.token, { queue: 'general' })).id;
    middle = t.clock.now() + HOUR / 2;
    t.clock.advance(HOUR);
    late = await t.createUser('reviewer', { name: 'Late Reviewer', queues: ['general'] });
  });
  afterAll(async () => t.close());

  it('narrows by action, from and to, alone and together', async () => {
    const all = await list('');
    const logins = await list('&action=auth.login');
    expect(logins.length).toBeGreaterThan(2);
    expect(logins.length).toBeLessThan(all.length);
    expect(logins.every((e) => e.action === 'auth.login')).toBe(true);
    expect(logins.map((e) => e.actorId)).toEqual(expect.arrayContaining([clinician.id, late.id]));

    const iso = new Date(middle).toISOString();
    const after = await list(`&from=${iso}`);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => Date.parse(e.at) >= middle)).toBe(true);
    expect(after.some((e) => e.actorId === late.id)).toBe(true);
    expect(after.some((e) => e.actorId === clinician.id)).toBe(false);

    const before = await list(`&to=${iso}`);
    expect(before.every((e) => Date.parse(e.at) < middle)).toBe(true);
    expect(before.some((e) => e.actorId === clinician.id)).toBe(true);
    expect(before.some((e) => e.actorId === late.id)).toBe(false);
    expect(before.length + after.length).toBe(all.length);

    const lateLogins = await list(`&action=auth.login&from=${iso}`);
    expect(lateLogins.map((e) => e.actorId)).toEqual([late.id]);
    // An empty period, and a reversed one, select nothing.
    expect(await list(`&from=${iso}&to=${iso}`)).toEqual([]);
    expect(await list(`&from=${iso}&to=${new Date(middle - HOUR).toISOString()}`)).toEqual([]);
  });

  it('finds the acting user by part of their name or email in any case, with % and _ taken literally', async () => {
    const actors = async (q: string) => [...new Set((await list(`&q=${encodeURIComponent(q)}`)).map((e) => e.actorName))];
    expect(await actors('100%')).toEqual(['Ann 100% Sure']);
    expect(await actors('a_b')).toEqual(['Cy a_b Smith']);
    expect(await actors('mixedCASE')).toEqual(['Dora MIXEDcase']);
    const dora = people['Dora MIXEDcase']!;
    expect(await actors(dora.email.slice(0, -6).toUpperCase())).toEqual(['Dora MIXEDcase']);
    expect((await actors(' Sure')).sort()).toEqual(['Ann 100% Sure', 'Bea 1000 Sure']);
    expect(await actors('%')).toEqual(['Ann 100% Sure']);
    expect(await actors('nobody-by-this-name')).toEqual([]);

    const items = await list(`&q=${encodeURIComponent('dora')}`);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.actorType === 'user' && e.actorId === dora.id && e.actorEmail === dora.email)).toBe(true);
    // A failed sign-in has no user as its actor, whatever it targets.
    await t.http.post('/api/v1/auth/login').send({ email: dora.email, password: 'not-the-password' });
    expect((await list(`&q=dora`)).some((e) => e.action === 'auth.login_failed')).toBe(false);
  });

  it('names the case by its reference and the actor by name, beside the ids', async () => {
    const events = await list(`&caseId=${caseId}`);
    const created = events.find((e) => e.action === 'case.create')!;
    expect(created).toMatchObject({ caseId, caseRef: CASE_INPUT.patientRef, actorId: clinician.id, actorName: 'Early Clinician', actorEmail: clinician.email });
    await t.http.post('/api/v1/auth/login').send({ email: clinician.email, password: 'not-the-password' });
    const failed = await list('&action=auth.login_failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.actorType === 'anonymous' && e.actorName === null && e.actorEmail === null && e.caseRef === null)).toBe(true);
  });

  it('refuses unreadable times and filters it does not know with 400', async () => {
    for (const query of ['from=yesterday', 'to=2024-13-01T00:00:00Z', 'action=DROP%20TABLE', 'limit=0', 'colour=red']) {
      expect((await t.http.get(`/api/v1/audit?${query}`).set(auth(admin))).status, query).toBe(400);
    }
    for (const query of ['from=yesterday', 'limit=10', 'q=']) {
      expect((await t.http.get(`/api/v1/audit.csv?${query}`).set(auth(admin))).status, query).toBe(400);
    }
  });

  it('exports the same selection as CSV: a header, RFC 4180 quoting, and no cell a spreadsheet would run', async () => {
    const hostile = people[HOSTILE_NAME]!;
    await t.sql.run('update cases set patient_ref = ? where id = ?', HOSTILE_REF, caseId);
    // Make the hostile user act on the case, so one row carries both hostile cells.
    await t.sql.run('update cases set referrer_id = ? where id = ?', hostile.id, caseId);
    expect((await t.http.get(`/api/v1/cases/${caseId}`).set(auth(hostile.token))).status).toBe(200);

    const { res, header, rows } = await csv(`?q=${encodeURIComponent('HYPERLINK')}`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${new Date(t.clock.now()).toISOString().slice(0, 10)}.csv"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-export-truncated']).toBe('false');
    expect(header).toEqual(COLUMNS);

    const json = await list(`&q=${encodeURIComponent('HYPERLINK')}`);
    expect(rows.map((r) => plain(r.id))).toEqual(json.map((e) => e.id));
    expect(rows.map((r) => r.action)).toEqual(json.map((e) => e.action));
    expect(rows.map((r) => r.at)).toEqual(json.map((e) => e.at));
    expect(rows.every((r) => r.actorName === `'${HOSTILE_NAME}`)).toBe(true);
    expect(rows.every((r) => r.actorEmail === hostile.email)).toBe(true);
    // In the file itself: quoted, quotes doubled, the line break kept inside the quotes.
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.test"",""click""), ""Jr""\nsecond line"`);

    const read = rows.find((r) => r.action === 'case.read')!;
    expect(read).toMatchObject({ caseRef: `'${HOSTILE_REF}`, targetType: 'case', actorType: 'user' });
    expect([plain(read.caseId), plain(read.targetId)]).toEqual([caseId, caseId]);
    expect(res.text).toContain(`"'+44,""ref"""`);
    // No cell, once read back, starts a formula.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('exports the same rows as the list for every filter', async () => {
    const iso = new Date(middle).toISOString();
    for (const query of ['action=auth.login', `from=${iso}`, `to=${iso}`, `caseId=${caseId}`, `actor=${clinician.id}`, 'q=sure', `action=auth.login&to=${iso}&q=a`]) {
      const json = await list(`&${query}`);
      const { rows } = await csv(`?${query}`);
      expect(rows.map((r) => plain(r.id)), query).toEqual(json.map((e) => e.id));
      expect(rows.map((r) => r.detail), query).toEqual(json.map((e) => (e.detail === null ? '' : JSON.stringify(e.detail))));
    }
    // The whole trail, past one page of the list.
    const everything = await csv('');
    const ids: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const res = await t.http.get(`/api/v1/audit?limit=50${cursor ? `&cursor=${cursor}` : ''}`).set(auth(admin));
      ids.push(...(res.body.items as AuditEventBody[]).map((e) => e.id));
      cursor = res.body.nextCursor as string | null;
    }
    // The list was read after the export, which is itself in the trail.
    expect(ids[0]).not.toBe(plain(everything.rows[0]!.id));
    expect(ids.slice(1)).toEqual(everything.rows.map((r) => plain(r.id)));
  });

  it('records each export in the trail, with its filters but not the person searched for', async () => {
    await csv(`?action=auth.login&q=${encodeURIComponent('Ann 100')}`);
    const [exported] = await list('&action=audit.export');
    expect(exported).toMatchObject({ actorName: expect.any(String) as string, detail: { rows: 1, truncated: false, filter: { action: 'auth.login', byPerson: true } } });
    expect(JSON.stringify(exported)).not.toContain('Ann 100');
  });

  it('answers only admins: 401 without a token, 403 for other roles, no-store either way', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit.csv']) {
      const anonymous = await t.http.get(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['cache-control']).toBe('no-store');
      for (const token of [clinician.token, late.token]) {
        const refused = await t.http.get(path).set(auth(token));
        expect(refused.status).toBe(403);
        expect(refused.headers['cache-control']).toBe('no-store');
      }
    }
    expect((await t.http.get('/api/v1/audit').set(auth(admin))).headers['cache-control']).toBe('no-store');
  });
});
