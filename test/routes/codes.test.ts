// The diagnosis look-up over real HTTP: ICD-10 codes that dermatology uses, found by the start of a code (with
// or without its dot) or by words of the title (accents optional), best matches first, for anyone signed in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { auth } from '../helpers/review-kit.js';

interface Item {
  code: string;
  text: string;
  system: string;
}

describe('GET /api/v1/codes', () => {
  let t: TestApp;
  let reviewer: string;
  beforeAll(async () => {
    t = await startTestApp();
    reviewer = (await t.createUser('reviewer', { queues: ['inflammatory'] })).token;
  });
  afterAll(async () => t.close());

  const lookUp = (query: Record<string, string | number>, token = reviewer) => t.http.get('/api/v1/codes').query(query).set(auth(token));
  const codesOf = (body: { items: Item[] }) => body.items.map((i) => i.code);

  it('finds psoriasis under L40 by the start of a word, the category first', async () => {
    const res = await lookUp({ system: 'icd10', q: 'psoria' });
    expect(res.status).toBe(200);
    const items = res.body.items as Item[];
    expect(items[0]).toEqual({ code: 'L40', text: 'Psoriasis', system: 'icd10' });
    expect(codesOf(res.body)).toEqual(expect.arrayContaining(['L40.0', 'L40.1', 'L40.4', 'L40.9']));
    expect(items.find((i) => i.code === 'L40.0')?.text).toBe('Psoriasis vulgaris');
    for (const item of items) expect(item.text.toLowerCase()).toMatch(/\bpsoria/);
  });

  it('matches every word typed, each as the start of a word of the title', async () => {
    const res = await lookUp({ system: 'icd10', q: 'basal cell nose' });
    expect(codesOf(res.body)).toEqual(['C44.311']);
    expect((await lookUp({ system: 'icd10', q: 'soriasis' })).body.items).toEqual([]);
  });

  it('finds codes by their start with or without the dot, in any case, the exact code first', async () => {
    const dotted = await lookUp({ system: 'icd10', q: 'L40.' });
    expect(codesOf(dotted.body).slice(0, 3)).toEqual(['L40', 'L40.0', 'L40.1']);
    expect(codesOf(dotted.body).every((c) => c.startsWith('L40'))).toBe(true);

    const compact = await lookUp({ system: 'icd10', q: 'l400' });
    expect(codesOf(compact.body)[0]).toBe('L40.0');
    expect(codesOf((await lookUp({ system: 'icd10', q: 'c44.31' })).body)).toEqual(['C44.31', 'C44.310', 'C44.311', 'C44.319']);
  });

  it('takes the title with or without its accents', async () => {
    for (const q of ['acne excoriee', 'Acné excoriée', 'ACNE EXCORIÉE']) expect(codesOf((await lookUp({ system: 'icd10', q })).body), q).toEqual(['L70.5']);
    expect(codesOf((await lookUp({ system: 'icd10', q: 'cafe au lait' })).body)).toEqual(['L81.3']);
    expect(codesOf((await lookUp({ system: 'icd10', q: 'sezary' })).body)).toEqual(['C84.1', 'C84.10']);
  });

  it('gives 20 at most unless asked for more, and never more than 50', async () => {
    expect((await lookUp({ system: 'icd10', q: 'L' })).body.items).toHaveLength(20);
    const seven = await lookUp({ system: 'icd10', q: 'L', limit: 7 });
    expect(codesOf(seven.body)).toEqual(['L00', 'L01', 'L01.0', 'L01.00', 'L01.01', 'L01.02', 'L01.03']);
    expect((await lookUp({ system: 'icd10', q: 'L', limit: 50 })).body.items).toHaveLength(50);
    expect((await lookUp({ system: 'icd10', q: 'L', limit: 51 })).status).toBe(400);
    expect((await lookUp({ system: 'icd10', q: 'L', limit: 0 })).status).toBe(400);
  });

  it('refuses another code system, a missing or empty query and one over 100 characters', async () => {
    const snomed = await lookUp({ system: 'snomed', q: 'psoria' });
    expect(snomed.status).toBe(400);
    expect(snomed.body).toMatchObject({ code: 'VALIDATION_ERROR', message: 'querystring/system: only icd10 codes can be looked up' });
    const french = await lookUp({ system: 'snomed', q: 'psoria' }).set('accept-language', 'fr');
    expect(french.body.message).toContain('CIM-10');
    const refused: Record<string, string>[] = [{ system: 'icd10' }, { system: 'icd10', q: '' }, { system: 'icd10', q: 'a'.repeat(101) }, { q: 'psoria' }];
    for (const query of refused) {
      const res = await lookUp(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    expect((await lookUp({ system: 'icd10', q: 'a'.repeat(100) })).status).toBe(200);
  });

  it('answers every role, trainees too, and nobody unsigned', async () => {
    for (const role of ['clinician', 'trainee'] as const) {
      const { token } = await t.createUser(role);
      expect((await lookUp({ system: 'icd10', q: 'scabies' }, token)).body.items, role).toEqual([{ code: 'B86', text: 'Scabies', system: 'icd10' }]);
    }
    expect((await lookUp({ system: 'icd10', q: 'scabies' }, await t.adminToken())).status).toBe(200);
    const unsigned = await t.http.get('/api/v1/codes').query({ system: 'icd10', q: 'scabies' });
    expect(unsigned.status).toBe(401);
  });
});
