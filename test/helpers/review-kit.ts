// Helpers for review-workflow route tests: a fresh queue per test, reviewers in it, cases, claims and opinions over HTTP.
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { postCase } from './cases.js';

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Diagnosis {
  text: string;
  code?: string;
  system?: 'icd10' | 'snomed';
}

export const PSORIASIS: Diagnosis = { text: 'Plaque psoriasis', code: 'L40.0', system: 'icd10' };
export const PSORIASIS_REWORDED: Diagnosis = { text: 'Chronic plaque psoriasis', code: 'l40.0', system: 'icd10' };
export const ECZEMA: Diagnosis = { text: 'Atopic eczema', code: 'L20.9', system: 'icd10' };

let queueCounter = 0;

export function reviewKit(t: TestApp) {
  return {
    /** A new queue with its own quorum, so tests do not see each other's cases. */
    async queue(quorum = 2): Promise<string> {
      queueCounter += 1;
      const slug = `test-q${queueCounter}-${Math.random().toString(36).slice(2, 8)}`;
      const res = await t.http.post('/api/v1/queues').set(auth(await t.adminToken())).send({ slug, name: `Test queue ${queueCounter}`, quorum });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return slug;
    },

    async reviewers(count: number, queues: string[]) {
      const list = [];
      for (let i = 0; i < count; i++) list.push(await t.createUser('reviewer', { queues }));
      return list;
    },

    async openCase(token: string, input: Record<string, unknown>) {
      const res = await postCase(t, token, ['orient-1.jpg'], input);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; queue: string; status: string; createdAt: string };
    },

    claim(token: string, slug: string) {
      return t.http.post(`/api/v1/queues/${slug}/claim`).set(auth(token));
    },

    opinion(token: string, caseId: string, diagnosis: Diagnosis, extra: Record<string, unknown> = {}) {
      return t.http
        .post(`/api/v1/cases/${caseId}/opinions`)
        .set(auth(token))
        .send({ diagnosis, differential: [], confidence: 'high', management: 'Potent topical steroid for four weeks', disposition: 'treat-locally', ...extra });
    },

    message(token: string, caseId: string, body: string, requestInfo?: boolean) {
      return t.http.post(`/api/v1/cases/${caseId}/messages`).set(auth(token)).send(requestInfo === undefined ? { body } : { body, requestInfo });
    },

    read(token: string, caseId: string) {
      return t.http.get(`/api/v1/cases/${caseId}`).set(auth(token));
    },

    claimRows(caseId: string): Promise<{ reviewer_id: string; expires_at: number }[]> {
      return t.sql.rows('select reviewer_id, expires_at from claims where case_id = ? order by claimed_at, reviewer_id', caseId);
    },

    async caseRow(caseId: string): Promise<Record<string, unknown>> {
      return (await t.sql.one('select * from cases where id = ?', caseId))!;
    },

    async auditActions(caseId: string): Promise<string[]> {
      const res = await t.http.get(`/api/v1/audit?caseId=${caseId}&limit=500`).set(auth(await t.adminToken()));
      expect(res.status).toBe(200);
      return (res.body.items as { action: string }[]).map((e) => e.action).reverse();
    },
  };
}
