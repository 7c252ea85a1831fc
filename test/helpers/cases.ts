// Helpers for tests that open cases over HTTP.
import path from 'node:path';
import type { Test } from 'supertest';
import { FIXTURES_DIR } from './images.js';
import type { TestApp } from './app.js';

export const CASE_INPUT = {
  patientRef: 'CLINIC-7/2026-001',
  ageYears: 42,
  sex: 'female',
  fitzpatrick: 3,
  bodySite: 'left forearm',
  durationDays: 30,
  history: 'Itchy scaly plaque for a month, no response to emollients.',
  question: 'Psoriasis or eczema? How to treat locally?',
  urgency: 'routine',
  queue: 'general',
};

export function fixturePath(file: string): string {
  return path.join(FIXTURES_DIR, file);
}

/** POST /api/v1/cases with the given case fields and fixture files (or buffers). */
export function postCase(t: TestApp, token: string, files: (string | Buffer)[], input: Record<string, unknown> = {}, kinds?: string[]): Test {
  let req = t.http.post('/api/v1/cases').set('authorization', `Bearer ${token}`).field('case', JSON.stringify({ ...CASE_INPUT, ...input }));
  if (kinds) req = req.field('kinds', JSON.stringify(kinds));
  files.forEach((file, i) => {
    req = typeof file === 'string' ? req.attach('photos', fixturePath(file)) : req.attach('photos', file, { filename: `photo-${i}.jpg`, contentType: 'image/jpeg' });
  });
  return req;
}

export async function countRows(t: TestApp, table: 'cases' | 'photos'): Promise<number> {
  return t.sql.count(table);
}

export async function objectKeys(t: TestApp): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of t.app.store.list()) keys.push(item.key);
  return keys.sort();
}

export async function getPhotoBytes(t: TestApp, token: string, photoId: string, variant?: 'thumb' | 'display'): Promise<Buffer> {
  const res = await t.http
    .get(`/api/v1/photos/${photoId}${variant ? `?variant=${variant}` : ''}`)
    .set('authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  if (res.status !== 200) throw new Error(`photo read failed: ${res.status}`);
  return res.body as Buffer;
}

/** Runs `send` while the app's object store refuses every write (connection refused), then puts it back. */
export async function whileStoreRefuses<T>(t: TestApp, send: () => Promise<T>): Promise<T> {
  const store = t.app.store;
  const put = store.put.bind(store);
  store.put = async () => {
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  try {
    return await send();
  } finally {
    store.put = put;
  }
}
