// Malformed multipart bodies on every upload route: a clear 400 MALFORMED_MULTIPART (never a 500), a text
// field over its limit refused with 413 FIELD_TOO_LARGE (never cut), and nothing stored either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { CASE_INPUT, countRows, objectKeys, postCase } from '../helpers/cases.js';
import { plainJpeg } from '../helpers/images.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function part(boundary: string, name: string, value: string | Buffer, filename?: string): Buffer {
  const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
  return Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${filename ? 'Content-Type: image/jpeg\r\n' : ''}\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
}

describe('malformed multipart bodies', () => {
  let t: TestApp;
  let clinician: { token: string };
  let photo: Buffer;
  const routes: { name: string; path: () => string; headers: () => Record<string, string>; fields: (b: string) => Buffer[] }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    clinician = await t.createUser('clinician');
    photo = await plainJpeg(64, 48);
    const created = await postCase(t, clinician.token, [photo]);
    expect(created.status).toBe(201);
    const link = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set(auth(clinician.token)).send({});
    routes.push(
      { name: 'POST /api/v1/cases', path: () => '/api/v1/cases', headers: () => auth(clinician.token), fields: (b) => [part(b, 'case', JSON.stringify(CASE_INPUT))] },
      { name: 'POST /api/v1/cases/:id/photos', path: () => `/api/v1/cases/${created.body.id}/photos`, headers: () => auth(clinician.token), fields: () => [] },
      { name: 'POST /f/:token/photos', path: () => `/f/${link.body.token}/photos`, headers: () => ({ accept: 'application/json' }), fields: () => [] },
    );
  });
  afterAll(async () => t.close());

  function bodies(fields: (b: string) => Buffer[]): [string, string, Buffer][] {
    const b = 'simple-boundary-1234';
    const whole = Buffer.concat([...fields(b), part(b, 'photos', photo, 'p.jpg'), Buffer.from(`--${b}--\r\n`)]);
    const long = 'L'.repeat(300);
    return [
      ['no boundary', 'multipart/form-data', whole],
      ['an empty boundary', 'multipart/form-data; boundary=', whole],
      ['a 300-character boundary', `multipart/form-data; boundary=${long}`, Buffer.concat([...fields(long), part(long, 'photos', photo, 'p.jpg'), Buffer.from(`--${long}--\r\n`)])],
      ['a part cut off in the middle', `multipart/form-data; boundary=${b}`, whole.subarray(0, whole.length - photo.length)],
      ['no closing boundary', `multipart/form-data; boundary=${b}`, whole.subarray(0, whole.length - `--${b}--\r\n`.length)],
      ['garbage', `multipart/form-data; boundary=${b}`, Buffer.from('\x00\xff garbage that is no form at all \r\n\r\n--'.repeat(50), 'latin1')],
      ['a part without headers', `multipart/form-data; boundary=${b}`, Buffer.from(`--${b}\r\n\r\n\r\nvalue\r\n--${b}--\r\n`)],
      ['a boundary that never appears', 'multipart/form-data; boundary=not-in-the-body', whole],
    ];
  }

  it('answers each malformed body on each upload route with 400 MALFORMED_MULTIPART, storing nothing', async () => {
    const objectsBefore = (await objectKeys(t)).length;
    const photosBefore = await countRows(t, 'photos');
    const answers: string[] = [];
    for (const route of routes) {
      for (const [what, contentType, body] of bodies(route.fields)) {
        const res = await t.raw('POST', route.path(), { ...route.headers(), 'content-type': contentType }, body);
        const parsed = JSON.parse(res.text) as { code: string; statusCode: number; message: string };
        answers.push(`${route.name}, ${what}: ${res.status} ${parsed.code}`);
        expect(parsed.statusCode).toBe(res.status);
        expect(parsed.message).not.toMatch(/busboy|boundary not found|Unexpected end/i);
      }
    }
    expect(answers.filter((a) => !/: (400 MALFORMED_MULTIPART|400 VALIDATION_ERROR)$/.test(a))).toEqual([]);
    expect(answers.filter((a) => a.includes('MALFORMED_MULTIPART')).length).toBeGreaterThanOrEqual(routes.length * 5);
    expect((await objectKeys(t)).length).toBe(objectsBefore);
    expect(await countRows(t, 'photos')).toBe(photosBefore);
  });

  it('refuses a case field over 64 KB with 413 FIELD_TOO_LARGE instead of cutting it', async () => {
    const cases = await countRows(t, 'cases');
    const huge = { ...CASE_INPUT, history: 'x'.repeat(4000), question: 'q', bodySite: 'arm', padding: ' '.repeat(70 * 1024) };
    const res = await t.http.post('/api/v1/cases').set(auth(clinician.token)).field('case', JSON.stringify(huge)).attach('photos', photo, 'p.jpg');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'FIELD_TOO_LARGE' });
    expect(res.body.message).toContain('case');
    expect(await countRows(t, 'cases')).toBe(cases);
  });

  it('shows a browser posting the follow-up form without script a page, not JSON, for a malformed body', async () => {
    const res = await t.raw('POST', routes[2]!.path(), { accept: 'text/html', 'content-type': 'multipart/form-data' }, Buffer.from('garbage'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html');
  });
});
