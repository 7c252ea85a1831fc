// Follow-up links over real HTTP: made by the care team, used by a patient with no account, counted atomically,
// expiring and revocable, every bad token the same 404, hostile files refused, and the token never logged.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, fixturePath, getPhotoBytes, objectKeys, postCase, CASE_INPUT, whileStoreRefuses } from '../helpers/cases.js';
import { leakedStrings, manifest } from '../helpers/images.js';

const PUBLIC_URL = 'https://derm.example.org';
const SITE_NAME = 'Hilltop Township Clinic';
const refused = manifest.files.filter((e) => e.expect.startsWith('reject'));

function allowedStatuses(expect: string): number[] {
  return [...expect.matchAll(/\b(\d{3})\b/g)].map((m) => Number(m[1]));
}

type User = { id: string; token: string };

interface Ctx {
  t: TestApp;
  clinician: User;
  reviewer: User;
  /** Every follow-up token handed out in the file, to search the logs for. */
  tokens: Set<string>;
}

async function openCase(c: Ctx): Promise<string> {
  const res = await postCase(c.t, c.clinician.token, ['orient-1.jpg']);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

async function makeLink(c: Ctx, caseId: string, body: Record<string, unknown> = {}, by: User = c.clinician) {
  const res = await c.t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${by.token}`).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  c.tokens.add(res.body.token);
  return res.body as { id: string; url: string; token: string; expiresAt: string; maxPhotos: number };
}

/**
 * Photos sent to a link, the whole request in one write: the service answers an unusable link before it
 * reads the upload, and a client still streaming its files would meet a closed socket (EPIPE) instead of
 * that answer. The reply is read as supertest would give it (status, headers, text, JSON body).
 */
async function sendPhotos(t: TestApp, token: string, files: string[], accept = 'application/json', headers: Record<string, string> = {}) {
  return sendForm(t, token, multipartBody(files), accept, headers);
}

/** Photos with a note (or any other text fields) before them, as the page's script sends them. */
async function sendWithNote(t: TestApp, token: string, files: string[], fields: Record<string, string>, accept = 'application/json') {
  return sendForm(t, token, multipartBody(files, fields), accept);
}

async function sendForm(t: TestApp, token: string, form: { body: Buffer; contentType: string }, accept: string, headers: Record<string, string> = {}) {
  const res = await t.raw('POST', `/f/${token}/photos`, { accept, 'content-type': form.contentType, ...headers }, form.body);
  const json = /^application\/json/.test(String(res.headers['content-type'] ?? ''));
  return { ...res, body: json ? (JSON.parse(res.text) as Record<string, any>) : {} };
}

/** What a browser declares for a file, by its name (the service itself goes by the bytes). */
const DECLARED_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.heic': 'image/heic', '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.html': 'text/html' };

/** A multipart body with the given text fields and fixture photos, built in memory. */
function multipartBody(files: string[], fields: Record<string, string> = {}): { body: Buffer; contentType: string } {
  const boundary = '----follow-up-test-boundary';
  const textParts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const parts = files.map((file, i) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="photos"; filename="photo-${i}${path.extname(file)}"\r\ncontent-type: ${DECLARED_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'}\r\n\r\n`),
      fs.readFileSync(fixturePath(file)),
      Buffer.from('\r\n'),
    ]),
  );
  return { body: Buffer.concat([...textParts, ...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function linkRow(t: TestApp, id: string): Promise<Record<string, unknown>> {
  return (await t.sql.one('select * from follow_up_links where id = ?', id))!;
}

async function readCase(c: Ctx, caseId: string, as: User = c.reviewer) {
  const res = await c.t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${as.token}`);
  expect(res.status).toBe(200);
  return res.body as { photos: { id: string; kind: string; uploadedBy: string; removedMetadata: string[] }[] };
}

/** The parts of an error body that must be identical for every unusable link. */
const sameParts = (body: Record<string, unknown>) => ({ statusCode: body.statusCode, code: body.code, error: body.error, message: body.message });

describe('follow-up links', () => {
  const c = { tokens: new Set<string>() } as Ctx;
  let t: TestApp;
  beforeAll(async () => {
    t = c.t = await startTestApp({ PUBLIC_URL });
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${await t.adminToken()}`).send({ name: SITE_NAME, tier: 'primary' });
    expect(site.status).toBe(201);
    c.clinician = await t.createUser('clinician', { siteId: site.body.id, name: 'Dr Referrer Uniquename' });
    c.reviewer = await t.createUser('reviewer', { queues: ['general'] });
  });
  afterAll(async () => t.close());

  it('is made by the referrer or a reviewer of the queue, 404 for anyone else, shown once with its full URL', async () => {
    const caseId = await openCase(c);
    const before = t.clock.now();
    const link = await makeLink(c, caseId);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43,}$/); // 256 bits, base64url
    expect(link.url).toBe(`${PUBLIC_URL}/f/${link.token}`);
    expect(link.maxPhotos).toBe(10);
    const days = (Date.parse(link.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(13.99);
    expect(days).toBeLessThan(14.01);

    // Stored only as a hash: the token is in no column of the row, nor in the audit trail.
    const row = await linkRow(t, link.id);
    expect(row.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(link.token);
    const audit = await t.sql.rows('select * from audit_events');
    expect(JSON.stringify(audit)).not.toContain(link.token);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'follow_up_link.create', actor_type: 'user', actor_id: c.clinician.id, target_id: link.id, case_id: caseId }));

    const byReviewer = await makeLink(c, caseId, { expiresInDays: 90, maxPhotos: 50 }, c.reviewer);
    expect(byReviewer.token).not.toBe(link.token);
    expect(Date.parse(byReviewer.expiresAt) - t.clock.now()).toBeGreaterThan(89.99 * 86_400_000);

    const otherClinician = await t.createUser('clinician');
    const otherReviewer = await t.createUser('reviewer', { queues: ['paediatric'] });
    const admin = { token: await t.adminToken() };
    for (const who of [otherClinician, otherReviewer, admin]) {
      const res = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${who.token}`).send({});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).send({})).status).toBe(401);
    expect((await t.http.post('/api/v1/cases/nope/follow-up-links').set('authorization', `Bearer ${c.clinician.token}`).send({})).status).toBe(404);
  });

  it('bounds expiry (fractional days, at most 90) and maxPhotos, and takes the defaults without a body', async () => {
    const caseId = await openCase(c);
    for (const body of [{ expiresInDays: 91 }, { expiresInDays: 0 }, { expiresInDays: -1 }, { expiresInDays: 'soon' }, { maxPhotos: 0 }, { maxPhotos: 51 }, { maxPhotos: 2.5 }, { other: 1 }]) {
      const res = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${c.clinician.token}`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    const half = await makeLink(c, caseId, { expiresInDays: 0.5, maxPhotos: 1 });
    expect(Math.abs(Date.parse(half.expiresAt) - t.clock.now() - 12 * 3600_000)).toBeLessThan(60_000);
    const noBody = await t.http.post(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${c.clinician.token}`);
    expect(noBody.status, JSON.stringify(noBody.body)).toBe(201);
    c.tokens.add(noBody.body.token);
    expect(noBody.body.maxPhotos).toBe(10);
  });

  it('serves a small phone page that names only the clinic, with no-store, noindex and a strict CSP', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    const res = await t.http.get(`/f/${link.token}`).set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toMatch(/noindex/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
    const html = res.text;
    expect(html).toContain(SITE_NAME);
    expect(html).toMatch(/daylight/i);
    expect(html).toMatch(/focus/i);
    expect(html).toMatch(/whole area/i);
    expect(html).toMatch(/close-up/i);
    expect(html).toContain('accept="image/*"');
    expect(html).toContain('capture="environment"');
    expect(html).toContain('<progress');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain(`action="/f/${link.token}/photos"`);
    // Nothing inline (the CSP would refuse it), nothing from elsewhere.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
    // Nothing about the patient or the case.
    // (The token itself is in the page's links, and a random token may contain "42".)
    const withoutToken = html.replaceAll(link.token, '');
    for (const secret of [caseId, CASE_INPUT.patientRef, CASE_INPUT.history, CASE_INPUT.question, CASE_INPUT.bodySite, 'Uniquename', 'female', '42']) {
      expect(withoutToken).not.toContain(secret);
    }
    expect(html.length).toBeLessThan(8_000);

    // The page's own files, by hashed names that the phone may keep (test/routes/web-assets.test.ts).
    const script = /<script src="(\/assets\/follow-up\.[\w-]+\.js)"/.exec(html)?.[1];
    const stylesheet = /<link rel="stylesheet" href="(\/assets\/follow-up\.[\w-]+\.css)"/.exec(html)?.[1];
    const js = await t.http.get(script ?? 'no script');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['cache-control']).toMatch(/immutable/);
    const css = await t.http.get(stylesheet ?? 'no stylesheet');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await t.http.get('/assets/other.js')).status).toBe(404);
  });

  it('says "your clinic" when the case has no site', async () => {
    const noSite = await t.createUser('clinician');
    const created = await postCase(t, noSite.token, ['orient-2.jpg']);
    const link = await makeLink(c, created.body.id, {}, noSite);
    const res = await t.http.get(`/f/${link.token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('your clinic');
    expect(res.text).not.toContain(SITE_NAME);
  });

  it('takes photos from a patient without an account: sanitized, kind followup, seen by the reviewers, audited as the link', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    const res = await sendPhotos(t, link.token, ['jpeg-all-metadata-orient6.jpg', 'real/DSCN0010.jpg']);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ received: 2, remaining: 8 });
    expect(res.headers['cache-control']).toBe('no-store');

    const seen = await readCase(c, caseId);
    const followups = seen.photos.filter((p) => p.kind === 'followup');
    expect(followups).toHaveLength(2);
    expect(followups.every((p) => p.uploadedBy === 'link')).toBe(true);
    expect(followups[0]!.removedMetadata).toEqual(expect.arrayContaining(['exif', 'gps', 'xmp', 'iptc']));
    for (const photo of followups) {
      const stored = await getPhotoBytes(t, c.reviewer.token, photo.id);
      expect(leakedStrings(stored)).toEqual([]);
      const meta = await sharp(stored).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(await exifr.parse(stored, { tiff: true, xmp: true, iptc: true, icc: true, jfif: false }).catch(() => undefined)).toBeUndefined();
      expect(leakedStrings(await getPhotoBytes(t, c.reviewer.token, photo.id, 'thumb'))).toEqual([]);
    }
    // The referrer sees them too.
    expect((await readCase(c, caseId, c.clinician)).photos.filter((p) => p.kind === 'followup')).toHaveLength(2);

    const rows = await t.sql.rows("select uploader_type, uploader_id from photos where case_id = ? and kind = 'followup'", caseId);
    expect(rows).toEqual([
      { uploader_type: 'link', uploader_id: link.id },
      { uploader_type: 'link', uploader_id: link.id },
    ]);
    const audit = await t.http.get(`/api/v1/audit?caseId=${caseId}`).set('authorization', `Bearer ${await t.adminToken()}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'case.followup_photos_add', actorType: 'link', actorId: link.id, caseId, detail: expect.objectContaining({ photos: 2 }) }),
    );
    expect(JSON.stringify(audit.body)).not.toContain(link.token);
  });

  it('answers a plain form post (no script) with a page, and errors in plain words', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { maxPhotos: 2 });
    const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const ok = await sendPhotos(t, link.token, ['orient-3.jpg'], html);
    expect(ok.status).toBe(201);
    expect(ok.headers['content-type']).toMatch(/^text\/html/);
    expect(ok.text).toContain(`1 photo sent to ${SITE_NAME}`);
    expect(ok.text).toContain(`href="/f/${link.token}"`);

    const bad = await sendPhotos(t, link.token, ['script.svg'], html);
    expect(bad.status).toBe(415);
    expect(bad.headers['content-type']).toMatch(/^text\/html/);
    expect(bad.text).toContain('not a photo');
    expect(bad.headers['cache-control']).toBe('no-store');

    // The script asks for JSON explicitly, even though its browser also accepts HTML.
    const xhr = await sendPhotos(t, link.token, ['script.svg'], html, { 'x-requested-with': 'XMLHttpRequest' });
    expect(xhr.status).toBe(415);
    expect(xhr.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const last = await sendPhotos(t, link.token, ['orient-4.jpg'], html);
    expect(last.status).toBe(201);
    expect(last.text).not.toContain('Send more photos');
    const gone = await sendPhotos(t, link.token, ['orient-4.jpg'], html);
    expect(gone.status).toBe(404);
    expect(gone.text).toContain('ask your clinic for a new one');
  });

  it('counts photos against maxPhotos and refuses what would go over it, storing nothing', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { maxPhotos: 3 });
    expect((await sendPhotos(t, link.token, ['orient-1.jpg', 'orient-2.jpg'])).body).toEqual({ received: 2, remaining: 1 });

    const photos = await countRows(t, 'photos');
    const objects = await objectKeys(t);
    const over = await sendPhotos(t, link.token, ['orient-3.jpg', 'orient-4.jpg']);
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('TOO_MANY_PHOTOS');
    expect(over.body.message).toContain('1 more photo');
    expect(await countRows(t, 'photos')).toBe(photos);
    expect(await objectKeys(t)).toEqual(objects);

    expect((await sendPhotos(t, link.token, ['orient-5.jpg'])).body).toEqual({ received: 1, remaining: 0 });
    // Used up: now the same 404 as any other bad link.
    expect((await t.http.get(`/f/${link.token}`)).status).toBe(404);
    const after = await sendPhotos(t, link.token, ['orient-6.jpg']);
    expect(after.status).toBe(404);
    expect(after.body.code).toBe('NOT_FOUND');
    expect((await linkRow(t, link.id)).photos_received).toBe(3);
  });

  it('never takes more than maxPhotos under concurrent uploads, and leaves no orphan objects', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { maxPhotos: 3 });
    const photos = await countRows(t, 'photos');
    const objects = (await objectKeys(t)).length;
    const results = await Promise.all(
      ['orient-1.jpg', 'orient-2.jpg', 'orient-3.jpg', 'orient-4.jpg', 'orient-5.jpg', 'orient-6.jpg'].map((file) => sendPhotos(t, link.token, [file])),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 404, 404, 404]);
    expect((await linkRow(t, link.id)).photos_received).toBe(3);
    expect(await countRows(t, 'photos')).toBe(photos + 3);
    expect((await readCase(c, caseId)).photos.filter((p) => p.kind === 'followup')).toHaveLength(3);
    // A photo and its thumbnail for each accepted one; the refused uploads' objects were removed again.
    expect((await objectKeys(t)).length).toBe(objects + 6);

    // Two-photo uploads racing for the last places: never over the limit either.
    const second = await makeLink(c, caseId, { maxPhotos: 3 });
    const pairs = await Promise.all([0, 1, 2].map(() => sendPhotos(t, second.token, ['orient-7.jpg', 'orient-8.jpg'])));
    expect(pairs.filter((r) => r.status === 201)).toHaveLength(1);
    expect(pairs.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'TOO_MANY_PHOTOS')).toBe(true);
    expect((await linkRow(t, second.id)).photos_received).toBe(2);
  });

  it('stops working when it expires', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { expiresInDays: 1 / 24 });
    expect((await t.http.get(`/f/${link.token}`)).status).toBe(200);
    t.clock.advance(Date.parse(link.expiresAt) - t.clock.now() - 60_000);
    expect((await t.http.get(`/f/${link.token}`)).status).toBe(200);
    t.clock.advance(60_000);
    const page = await t.http.get(`/f/${link.token}`).set('accept', 'application/json');
    expect(page.status).toBe(404);
    expect(page.body.code).toBe('NOT_FOUND');
    expect((await sendPhotos(t, link.token, ['orient-1.jpg'])).status).toBe(404);
    const list = await t.http.get(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${c.clinician.token}`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: link.id, status: 'expired', photosReceived: 0 })]);
  });

  it("lists a case's links with their status (active, used, expired, revoked), never their tokens", async () => {
    const caseId = await openCase(c);
    const active = await makeLink(c, caseId);
    const used = await makeLink(c, caseId, { maxPhotos: 1 });
    expect((await sendPhotos(t, used.token, ['orient-1.jpg'])).status).toBe(201);
    const list = await t.http.get(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${c.reviewer.token}`);
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((l: { id: string }) => [l.id, l]));
    expect(byId.get(active.id)).toEqual(expect.objectContaining({ status: 'active', photosReceived: 0, maxPhotos: 10, createdBy: c.clinician.id, revokedAt: null }));
    expect(byId.get(used.id)).toEqual(expect.objectContaining({ status: 'used', photosReceived: 1, maxPhotos: 1 }));
    for (const item of list.body.items) {
      expect(Object.keys(item)).not.toContain('state');
      expect(Object.keys(item)).not.toContain('token');
      expect(Object.keys(item)).not.toContain('url');
    }
    expect(JSON.stringify(list.body)).not.toContain(active.token);
    expect(JSON.stringify(list.body)).not.toContain(used.token);
    // Another clinician may not see the case: 404, as for the case itself.
    const other = await t.createUser('clinician');
    expect((await t.http.get(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${other.token}`)).status).toBe(404);
  });

  it('is revoked at once by its creator or an admin; 404 for anyone else', async () => {
    const caseId = await openCase(c);
    const byClinician = await makeLink(c, caseId);
    const byReviewer = await makeLink(c, caseId, {}, c.reviewer);

    // The case's reviewer did not make the clinician's link: 404, and it keeps working.
    const notTheirs = await t.http.delete(`/api/v1/follow-up-links/${byClinician.id}`).set('authorization', `Bearer ${c.reviewer.token}`);
    expect(notTheirs.status).toBe(404);
    expect((await t.http.get(`/f/${byClinician.token}`)).status).toBe(200);
    expect((await t.http.delete(`/api/v1/follow-up-links/${byClinician.id}`)).status).toBe(401);
    expect((await t.http.delete('/api/v1/follow-up-links/unknown-link').set('authorization', `Bearer ${c.clinician.token}`)).status).toBe(404);

    const revoked = await t.http.delete(`/api/v1/follow-up-links/${byClinician.id}`).set('authorization', `Bearer ${c.clinician.token}`);
    expect(revoked.status).toBe(204);
    expect((await t.http.get(`/f/${byClinician.token}`)).status).toBe(404);
    expect((await sendPhotos(t, byClinician.token, ['orient-1.jpg'])).status).toBe(404);
    // Again: still 204, still revoked.
    expect((await t.http.delete(`/api/v1/follow-up-links/${byClinician.id}`).set('authorization', `Bearer ${c.clinician.token}`)).status).toBe(204);

    const byAdmin = await t.http.delete(`/api/v1/follow-up-links/${byReviewer.id}`).set('authorization', `Bearer ${await t.adminToken()}`);
    expect(byAdmin.status).toBe(204);
    expect((await t.http.get(`/f/${byReviewer.token}`)).status).toBe(404);

    const list = await t.http.get(`/api/v1/cases/${caseId}/follow-up-links`).set('authorization', `Bearer ${c.reviewer.token}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { status: string }) => l.status)).toEqual(['revoked', 'revoked']);
    expect(JSON.stringify(list.body)).not.toMatch(new RegExp(`${byClinician.token}|${byReviewer.token}|tokenHash`));
    const audit = await t.sql.rows("select actor_id from audit_events where action = 'follow_up_link.revoke' and case_id = ?", caseId);
    expect(audit).toHaveLength(3);
  });

  it('answers every unusable token with the same 404, for the page and the upload', async () => {
    const caseId = await openCase(c);
    const expired = await makeLink(c, caseId, { expiresInDays: 1 / 24 });
    const revoked = await makeLink(c, caseId);
    await t.http.delete(`/api/v1/follow-up-links/${revoked.id}`).set('authorization', `Bearer ${c.clinician.token}`);
    const usedUp = await makeLink(c, caseId, { maxPhotos: 1 });
    expect((await sendPhotos(t, usedUp.token, ['orient-1.jpg'])).status).toBe(201);
    const closedCaseId = await openCase(c);
    const ofClosedCase = await makeLink(c, closedCaseId);
    // Closing is the review workflow's route; here the row is set directly, as that route would.
    await t.sql.run("update cases set status = 'closed' where id = ?", closedCaseId);
    t.clock.advance(3600_000);

    const bad: Record<string, string> = {
      unknown: 'A'.repeat(43),
      random: Buffer.alloc(32, 7).toString('base64url'),
      short: 'x',
      long: 'y'.repeat(500),
      odd: encodeURIComponent('ab$cd%ef<gh>'),
      expired: expired.token,
      revoked: revoked.token,
      usedUp: usedUp.token,
      closedCase: ofClosedCase.token,
    };
    const jsonBodies = new Set<string>();
    const htmlBodies = new Set<string>();
    for (const [why, token] of Object.entries(bad)) {
      const json = await t.http.get(`/f/${token}`).set('accept', 'application/json');
      expect(json.status, why).toBe(404);
      jsonBodies.add(JSON.stringify(sameParts(json.body)));
      const page = await t.http.get(`/f/${token}`).set('accept', 'text/html');
      expect(page.status, why).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-store');
      htmlBodies.add(page.text);
      const post = await sendPhotos(t, token, ['orient-2.jpg']);
      expect(post.status, why).toBe(404);
      jsonBodies.add(JSON.stringify(sameParts(post.body)));
    }
    expect([...jsonBodies]).toEqual([JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'This link does not work any more. Please ask your clinic for a new one.' })]);
    expect(htmlBodies.size).toBe(1);
    expect([...htmlBodies][0]).toContain('ask your clinic for a new one');

    // A closed case takes no new link either.
    const again = await t.http.post(`/api/v1/cases/${closedCaseId}/follow-up-links`).set('authorization', `Bearer ${c.clinician.token}`).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CASE_CLOSED');
  });

  it.each(refused.map((e) => [e.file, e.expect] as const))('refuses %s (%s) as elsewhere, storing and counting nothing', async (file, expectation) => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { maxPhotos: 2 });
    const photos = await countRows(t, 'photos');
    const objects = await objectKeys(t);
    const res = await sendPhotos(t, link.token, [file]);
    expect(allowedStatuses(expectation)).toContain(res.status);
    expect(res.body.code).toMatch(/^[A-Z_]+$/);
    expect(await countRows(t, 'photos')).toBe(photos);
    expect(await objectKeys(t)).toEqual(objects);
    expect((await linkRow(t, link.id)).photos_received).toBe(0);
  });

  it('stores nothing when one photo of several is hostile', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    const photos = await countRows(t, 'photos');
    const objects = await objectKeys(t);
    const res = await sendPhotos(t, link.token, ['orient-1.jpg', 'truncated.jpg']);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IMAGE_CORRUPT');
    expect(await countRows(t, 'photos')).toBe(photos);
    expect(await objectKeys(t)).toEqual(objects);
    expect((await linkRow(t, link.id)).photos_received).toBe(0);
    const none = await t.http.post(`/f/${link.token}/photos`).field('note', 'hello');
    expect(none.status).toBe(400);
  });

  it("takes a note with the photos: one message from the link, with no author, committed with the photos and audited without its words", async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    const page = await t.http.get(`/f/${link.token}`);
    expect(page.text).toMatch(/<label[^>]*for="note"[^>]*>A note for the clinic \(optional\)<\/label>/);
    expect(page.text).toMatch(/<textarea id="note" name="note"[^>]*maxlength="2000"/);

    const before = await t.sql.count('messages');
    // A phone's textarea sends its line breaks as CRLF; a tab is kept.
    const res = await sendWithNote(t, link.token, ['orient-1.jpg', 'orient-2.jpg'], { note: '  Less red since Monday,\r\nno fever.\tSent by her mother.  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ received: 2, remaining: 8 });

    const NOTE = 'Less red since Monday,\nno fever.\tSent by her mother.';
    for (const who of [c.reviewer, c.clinician]) {
      const seen = await c.t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${who.token}`);
      expect(seen.body.messages).toEqual([expect.objectContaining({ authorType: 'link', author: null, body: NOTE, requestInfo: false })]);
      // The note and its photos arrived at one moment.
      const followups = seen.body.photos.filter((p: { kind: string }) => p.kind === 'followup');
      expect(followups.map((p: { createdAt: string }) => p.createdAt)).toEqual([seen.body.messages[0].createdAt, seen.body.messages[0].createdAt]);
      // Photos from a link leave the status alone, and so does the note that came with them.
      expect(seen.body.status).toBe('queued');
    }
    expect(await t.sql.count('messages')).toBe(before + 1);
    expect(await t.sql.rows('select author_type, author_id, link_id from messages where case_id = ?', caseId)).toEqual([{ author_type: 'link', author_id: null, link_id: link.id }]);

    const audit = await t.sql.rows<{ action: string; actor_type: string; actor_id: string; target_type: string; detail: string }>(
      "select action, actor_type, actor_id, target_type, detail from audit_events where case_id = ? and action = 'case.message'",
      caseId,
    );
    expect(audit).toEqual([expect.objectContaining({ action: 'case.message', actor_type: 'link', actor_id: link.id, target_type: 'message' })]);
    expect(JSON.stringify(await t.sql.rows('select * from audit_events where case_id = ?', caseId))).not.toMatch(/Less red|fever/);
    expect(t.logs.join('\n')).not.toMatch(/Less red|fever/);

    // Without script, the form's answer says the note went too.
    const html = await sendWithNote(t, link.token, ['orient-3.jpg'], { note: 'Photo in daylight.' }, 'text/html');
    expect(html.status).toBe(201);
    expect(html.text).toContain(`1 photo and your note sent to ${SITE_NAME}`);
    // A blank note is no note.
    expect((await sendWithNote(t, link.token, ['orient-4.jpg'], { note: ' \r\n\t ' })).status).toBe(201);
    expect(await t.sql.count('messages')).toBe(before + 2);
  });

  it('refuses a note that is too long, holds control characters, or comes without a photo, and an unknown field; storing nothing', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId, { maxPhotos: 2 });
    const messages = await t.sql.count('messages');
    const photos = await countRows(t, 'photos');
    const objects = await objectKeys(t);
    const refusals: [Record<string, string>, string[], number, string][] = [
      [{ note: 'x'.repeat(2001) }, ['orient-1.jpg'], 400, 'note is too long: at most 2000 characters'],
      [{ note: 'Less red\u0000 now' }, ['orient-1.jpg'], 400, 'note must not hold control characters'],
      [{ note: 'Less red \u001b[2J now' }, ['orient-1.jpg'], 400, 'control characters'],
      [{ note: 'Less red \u0085 now' }, ['orient-1.jpg'], 400, 'control characters'],
      [{ note: 'x'.repeat(70 * 1024) }, ['orient-1.jpg'], 413, 'note'],
      [{ note: 'Only words, no photo.' }, [], 400, 'at least one photo'],
      [{ comment: 'hello' }, ['orient-1.jpg'], 400, 'Unexpected field "comment"'],
      [{ note: 'With a hostile photo.' }, ['orient-1.jpg', 'truncated.jpg'], 422, ''],
      [{ note: 'Three photos for a link of two.' }, ['orient-1.jpg', 'orient-2.jpg', 'orient-3.jpg'], 409, ''],
    ];
    for (const [fields, files, status, words] of refusals) {
      const res = await sendWithNote(t, link.token, files, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
      expect(res.body.message).toContain(words);
    }
    expect(await t.sql.count('messages')).toBe(messages);
    expect(await countRows(t, 'photos')).toBe(photos);
    expect(await objectKeys(t)).toEqual(objects);
    expect((await linkRow(t, link.id)).photos_received).toBe(0);

    // Exactly at the limit, counted in characters (not bytes): taken.
    const longest = '红'.repeat(2000);
    expect((await sendWithNote(t, link.token, ['orient-1.jpg'], { note: longest })).status).toBe(201);
    expect(await t.sql.one('select body from messages where case_id = ?', caseId)).toEqual({ body: longest });
  });

  it('leaves no note behind when storing the photos fails', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    const messages = await t.sql.count('messages');
    // The object store goes away for this one upload.
    const res = await whileStoreRefuses(t, () => sendWithNote(t, link.token, ['orient-1.jpg'], { note: 'This one must not arrive alone.' }));
    expect(res.status).toBe(503);
    expect(await t.sql.count('messages')).toBe(messages);
    expect((await linkRow(t, link.id)).photos_received).toBe(0);
    // Sent again once the store is back: photos and note together.
    expect((await sendWithNote(t, link.token, ['orient-1.jpg'], { note: 'This one must not arrive alone.' })).status).toBe(201);
    expect(await t.sql.count('messages')).toBe(messages + 1);
  });

  it("names the clinic's contact when a link no longer works, and only for a link that existed; every one still the same 404", async () => {
    const admin = await t.adminToken();
    const site = await t.http.post('/api/v1/sites').set('authorization', `Bearer ${admin}`).send({ name: 'Lakeside <Clinic> & Co', tier: 'primary', contact: ' +86 871 6543-2100 ' });
    expect(site.status).toBe(201);
    const clinician = await t.createUser('clinician', { siteId: site.body.id });
    const own = { ...c, clinician };
    const caseId = (await postCase(t, clinician.token, ['orient-1.jpg'])).body.id as string;
    const live = await makeLink(own, caseId);
    const expired = await makeLink(own, caseId, { expiresInDays: 1 / 24 });
    const revoked = await makeLink(own, caseId);
    await t.http.delete(`/api/v1/follow-up-links/${revoked.id}`).set('authorization', `Bearer ${clinician.token}`);
    const usedUp = await makeLink(own, caseId, { maxPhotos: 1 });
    expect((await sendPhotos(t, usedUp.token, ['orient-1.jpg'])).status).toBe(201);
    const closedCaseId = (await postCase(t, clinician.token, ['orient-2.jpg'])).body.id as string;
    const ofClosedCase = await makeLink(own, closedCaseId);
    await t.sql.run("update cases set status = 'closed' where id = ?", closedCaseId);
    t.clock.advance(3600_000);

    // The working page carries the contact for its script, in case the link stops working meanwhile.
    expect((await t.http.get(`/f/${live.token}`)).text).toContain('data-contact="+86 871 6543-2100"');

    const withContact =
      'This link no longer works. To send more photos, contact Lakeside &lt;Clinic&gt; &amp; Co: <a href="tel:+8687165432100">+86 871 6543-2100</a>';
    const jsonBodies = new Set<string>();
    for (const [why, token] of Object.entries({ expired: expired.token, revoked: revoked.token, usedUp: usedUp.token, closedCase: ofClosedCase.token })) {
      const page = await t.http.get(`/f/${token}`).set('accept', 'text/html');
      expect(page.status, why).toBe(404);
      expect(page.text, why).toContain(withContact);
      // The form posted without script meets the same page.
      const posted = await sendPhotos(t, token, ['orient-2.jpg'], 'text/html');
      expect(posted.status, why).toBe(404);
      expect(posted.text, why).toContain(withContact);
      jsonBodies.add(JSON.stringify(sameParts((await t.http.get(`/f/${token}`).set('accept', 'application/json')).body)));
      jsonBodies.add(JSON.stringify(sameParts((await sendPhotos(t, token, ['orient-2.jpg'])).body)));
    }
    // An unknown token learns nothing of any clinic.
    const unknown = await t.http.get(`/f/${'Q'.repeat(43)}`).set('accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('Lakeside');
    expect(unknown.text).toContain('ask your clinic for a new one');
    jsonBodies.add(JSON.stringify(sameParts((await sendPhotos(t, 'Q'.repeat(43), ['orient-2.jpg'])).body)));
    // The JSON answer is the same for all: the script knows the contact from the page it came with.
    expect([...jsonBodies]).toEqual([JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'This link does not work any more. Please ask your clinic for a new one.' })]);

    // With the contact cleared, the page is the plain one again.
    expect((await t.http.patch(`/api/v1/sites/${site.body.id}`).set('authorization', `Bearer ${admin}`).send({ contact: null })).status).toBe(200);
    const plain = await t.http.get(`/f/${expired.token}`).set('accept', 'text/html');
    expect(plain.status).toBe(404);
    expect(plain.text).toBe(unknown.text);
  });

  it('opens no /api/v1 route: the token is just an unknown bearer', async () => {
    const caseId = await openCase(c);
    const link = await makeLink(c, caseId);
    for (const [method, url] of [
      ['get', '/api/v1/me'],
      ['get', `/api/v1/cases/${caseId}`],
      ['get', '/api/v1/cases'],
      ['get', `/api/v1/cases/${caseId}/follow-up-links`],
      ['delete', `/api/v1/follow-up-links/${link.id}`],
    ] as const) {
      const res = await t.http[method](url).set('authorization', `Bearer ${link.token}`);
      expect(res.status, url).toBe(401);
    }
    const upload = await t.http.post(`/api/v1/cases/${caseId}/photos`).set('authorization', `Bearer ${link.token}`).attach('photos', fixturePath('orient-1.jpg'));
    expect(upload.status).toBe(401);
    expect((await t.http.get(`/f/${link.token}`)).status).toBe(200);
  });

  it('never writes a follow-up token to the logs', async () => {
    expect(c.tokens.size).toBeGreaterThan(10);
    const logs = t.logs.join('\n');
    expect(logs).toContain('/f/:token');
    for (const token of c.tokens) expect(logs).not.toContain(token);
    expect(logs).not.toContain('y'.repeat(100));
  });
});

describe('follow-up links: logging at trace level and rate limiting', () => {
  it('keeps the token out of every log line, even at trace level and on errors', async () => {
    const t = await startTestApp({ LOG_LEVEL: 'trace' });
    try {
      const clinician = await t.createUser('clinician');
      const created = await postCase(t, clinician.token, ['orient-1.jpg']);
      const res = await t.http.post(`/api/v1/cases/${created.body.id}/follow-up-links`).set('authorization', `Bearer ${clinician.token}`).send({ maxPhotos: 1 });
      const token = res.body.token as string;
      await t.http.get(`/f/${token}?x=1`);
      await sendPhotos(t, token, ['truncated.jpg']);
      await sendPhotos(t, token, ['script.svg'], 'text/html');
      await sendPhotos(t, token, ['orient-1.jpg']);
      await sendPhotos(t, token, ['orient-2.jpg']); // used up
      await t.http.get(`/f/${token}/unknown`);
      await t.http.post(`/f/${token}`).send({});
      await t.http.get('/api/v1/me').set('authorization', `Bearer ${token}`);
      const logs = t.logs.join('\n');
      expect(t.logs.length).toBeGreaterThan(20);
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(token.slice(0, 20));
    } finally {
      await t.close();
    }
  });

  it('limits the link routes per address', async () => {
    const t = await startTestApp({ FOLLOW_UP_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await t.http.get(`/f/${'Z'.repeat(43)}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
      const limited = await t.http.get(`/f/${'Z'.repeat(43)}`).set('accept', 'application/json');
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
      expect(limited.headers['retry-after']).toBeTruthy();
    } finally {
      await t.close();
    }
  });
});
