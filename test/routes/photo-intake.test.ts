// Every fixture of ../shared/fixtures through the real HTTP route, the object store and the database.
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkJpeg } from '../../src/photos/jpeg-markers.js';
import { sanitizePhoto } from '../../src/photos/pipeline.js';
import { uploadLimitsOf } from '../../src/photos/upload.js';
import { PHOTO_ENCODINGS } from '../../src/vocabulary.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, fixturePath, getPhotoBytes, objectKeys, postCase } from '../helpers/cases.js';
import { fixture, isRed, leakedStrings, manifest, samplePixels } from '../helpers/images.js';

const accepted = manifest.files.filter((e) => e.expect === 'accept').map((e) => e.file);
const refused = manifest.files.filter((e) => e.expect.startsWith('reject'));

/** "reject 413 or 422" -> [413, 422] */
function allowedStatuses(expect: string): number[] {
  return [...expect.matchAll(/\b(\d{3})\b/g)].map((m) => Number(m[1]));
}

const TOP_LEFT: [number, number][] = [[0.05, 0.05], [0.1, 0.08]];
const ELSEWHERE: [number, number][] = [[0.9, 0.9], [0.9, 0.1], [0.1, 0.9], [0.5, 0.5]];

async function expectClean(stored: Buffer) {
  expect(leakedStrings(stored)).toEqual([]);
  const meta = await sharp(stored).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.comments ?? []).toEqual([]);
  expect(meta.orientation ?? 1).toBe(1);
  expect(await exifr.parse(stored, { tiff: true, xmp: true, iptc: true, icc: true, jfif: false }).catch(() => undefined)).toBeUndefined();
  // Only the JPEG structure itself, ending exactly at EOI.
  expect(stored.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  const layout = walkJpeg(stored);
  expect(layout.problem).toBeNull();
  expect(layout.eoi).toBe(stored.length - 2);
  const markers = layout.segments.map((s) => s.marker);
  expect(markers.filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
}

describe('photo intake over HTTP', () => {
  let t: TestApp;
  let clinician: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestApp();
    clinician = await t.createUser('clinician');
  });
  afterAll(async () => t.close());

  it.each(accepted)('accepts %s and stores only clean, upright pixels', async (file) => {
    const res = await postCase(t, clinician.token, [file]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.photos).toHaveLength(1);
    const photo = res.body.photos[0];
    expect(Object.keys(photo)).not.toContain('objectKey');
    expect(JSON.stringify(res.body)).not.toMatch(/photos\/|thumbs\/|\.jpe?g|\.heic/i);
    const stored = await getPhotoBytes(t, clinician.token, photo.id);
    const thumb = await getPhotoBytes(t, clinician.token, photo.id, 'thumb');
    await expectClean(stored);
    await expectClean(thumb);
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height]).toEqual([photo.width, photo.height]);
    // A JPEG upload keeps its own image data (and sampling); anything re-encoded is 4:4:4.
    if (photo.encoding === 'reencoded') expect(meta.chromaSubsampling).toBe('4:4:4');
    else expect(photo.encoding).toBe('lossless');
    expect(stored.length).toBe(photo.bytes);
    const thumbMeta = await sharp(thumb).metadata();
    expect(Math.max(thumbMeta.width, thumbMeta.height)).toBeLessThanOrEqual(512);
    // The display copy: the photo itself up to 2048 px, a clean copy of its shape above.
    const display = await getPhotoBytes(t, clinician.token, photo.id, 'display');
    if (Math.max(photo.width, photo.height) <= 2048) expect(display.equals(stored)).toBe(true);
    else {
      await expectClean(display);
      const displayMeta = await sharp(display).metadata();
      expect(Math.max(displayMeta.width, displayMeta.height)).toBeLessThanOrEqual(2048);
      expect(Math.max(displayMeta.width, displayMeta.height)).toBeGreaterThanOrEqual(photo.encoding === 'reencoded' ? 2048 : 0.9 * 2048);
      expect(Math.abs(displayMeta.width / displayMeta.height - photo.width / photo.height)).toBeLessThan(0.01);
    }
    // The input's own metadata was found and reported as removed.
    if (file.startsWith('real/') || file.includes('metadata') || file.includes('text') || file.includes('exif')) {
      expect(photo.removedMetadata.length).toBeGreaterThan(0);
    }
    if (/^orient-\d\.jpg$/.test(file)) {
      expect([photo.width, photo.height]).toEqual([480, 640]);
      for (const p of await samplePixels(stored, TOP_LEFT)) expect(isRed(p), `${file} top-left ${JSON.stringify(p)}`).toBe(true);
      for (const p of await samplePixels(stored, ELSEWHERE)) expect(isRed(p)).toBe(false);
    }
    if (file === 'jpeg-all-metadata-orient6.jpg') {
      expect([photo.width, photo.height]).toEqual([1200, 1600]);
      expect(photo.removedMetadata).toEqual(expect.arrayContaining(['exif', 'gps', 'xmp', 'iptc', 'comment', 'thumbnail']));
      for (const p of await samplePixels(stored, TOP_LEFT)) expect(isRed(p)).toBe(true);
    }
    if (file === 'jpeg-trailer-after-eoi.jpg') expect(photo.removedMetadata).toContain('trailer');
    if (file === 'real/IMG_5195.HEIC') expect([photo.width, photo.height]).toEqual([2566, 3313]);
    if (file === 'real/DSCN0010.jpg') expect(photo.removedMetadata).toEqual(expect.arrayContaining(['exif', 'gps']));
  });

  it.each(refused.map((e) => [e.file, e.expect] as const))('refuses %s (%s), stores nothing and keeps serving', async (file, expectation) => {
    const casesBefore = await countRows(t, 'cases');
    const photosBefore = await countRows(t, 'photos');
    const objectsBefore = await objectKeys(t);
    const res = await postCase(t, clinician.token, [file]);
    expect(allowedStatuses(expectation)).toContain(res.status);
    expect(res.body.code).toMatch(/^[A-Z_]+$/);
    expect(res.body.message.length).toBeGreaterThan(5);
    expect(res.body.requestId).toBeTruthy();
    expect(await countRows(t, 'cases')).toBe(casesBefore);
    expect(await countRows(t, 'photos')).toBe(photosBefore);
    expect(await objectKeys(t)).toEqual(objectsBefore);
    expect((await t.http.get('/healthz')).status).toBe(200);
  });

  it('stores nothing when one photo of several is hostile: all or nothing', async () => {
    const before = { cases: await countRows(t, 'cases'), photos: await countRows(t, 'photos'), objects: await objectKeys(t) };
    const res = await postCase(t, clinician.token, ['orient-1.jpg', 'real/DSCN0012.jpg', 'truncated.jpg']);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IMAGE_CORRUPT');
    expect(await countRows(t, 'cases')).toBe(before.cases);
    expect(await countRows(t, 'photos')).toBe(before.photos);
    expect(await objectKeys(t)).toEqual(before.objects);
  });

  it('keeps photos in order with their kinds, and several photos in one case', async () => {
    const res = await postCase(t, clinician.token, ['orient-1.jpg', 'orient-2.jpg'], {}, ['overview', 'dermoscopy']);
    expect(res.status).toBe(201);
    expect(res.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['overview', 'dermoscopy']);
    expect(res.body).toMatchObject({ status: 'queued', queue: 'general', ageYears: 42, referrer: { id: clinician.id } });
    expect(res.body.timeline).toEqual([expect.objectContaining({ status: 'queued', by: clinician.id })]);
  });

  it('records how each photo was encoded, as the pipeline decided, in the answers, the case and its row', async () => {
    // A plain JPEG (the upload's own image data may be kept) and a PNG (always re-encoded).
    const created = await postCase(t, clinician.token, ['real/DSCN0010.jpg', 'png-text-chunks.png']);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const added = await t.http.post(`/api/v1/cases/${created.body.id}/photos`).set('authorization', `Bearer ${clinician.token}`).attach('photos', fixturePath('orient-1.jpg'));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const sent = [...created.body.photos, ...added.body.photos] as { id: string; encoding: string }[];
    const files = ['real/DSCN0010.jpg', 'png-text-chunks.png', 'orient-1.jpg'];
    const decided = await Promise.all(files.map(async (file) => (await sanitizePhoto(fixture(file), uploadLimitsOf(t.app.config))).encoding));

    for (const encoding of decided) expect(PHOTO_ENCODINGS).toContain(encoding);
    expect(sent.map((p) => p.encoding)).toEqual(decided);
    const read = await t.http.get(`/api/v1/cases/${created.body.id}`).set('authorization', `Bearer ${clinician.token}`);
    expect(read.status).toBe(200);
    const byId = (photos: { id: string; encoding: string }[]) => Object.fromEntries(photos.map((p) => [p.id, p.encoding]));
    expect(byId(read.body.photos)).toEqual(byId(sent));
    const rows = await Promise.all(sent.map((p) => t.sql.one<{ encoding: string }>('select encoding from photos where id = ?', p.id)));
    expect(rows.map((row) => row?.encoding)).toEqual(decided);
  });

  it('says in Server-Timing where an upload spent its time', async () => {
    const started = performance.now();
    const res = await postCase(t, clinician.token, ['orient-1.jpg']);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(201);
    const phases: Record<string, number> = Object.fromEntries(
      String(res.headers['server-timing'])
        .split(', ')
        .map((entry) => entry.split(';dur='))
        .map(([name, ms]) => [name, Number(ms)]),
    );
    expect(Object.keys(phases)).toEqual(['receive', 'sanitize', 'store', 'commit', 'audit', 'body', 'send']);
    // Consecutive laps of one request: together no longer than the client waited for the answer.
    const total = Object.values(phases).reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeLessThanOrEqual(elapsed + 1);
    expect(phases.sanitize).toBeGreaterThan(0);
  });

  it('refuses a photo larger than MAX_UPLOAD_BYTES with 413 and stores nothing', async () => {
    const small = await startTestApp({ MAX_UPLOAD_BYTES: '50000' });
    try {
      const user = await small.createUser('clinician');
      const res = await postCase(small, user.token, ['real/DSCN0010.jpg']);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('FILE_TOO_LARGE');
      expect(await objectKeys(small)).toEqual([]);
      expect(await countRows(small, 'cases')).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('refuses a photo over MAX_PIXELS from its header with 413', async () => {
    const small = await startTestApp({ MAX_PIXELS: '100000' });
    try {
      const user = await small.createUser('clinician');
      const res = await postCase(small, user.token, ['orient-1.jpg']); // 307 200 pixels
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('IMAGE_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it.each([
    [{ ageYears: 131 }, 'case/ageYears'],
    [{ ageYears: -1 }, 'case/ageYears'],
    [{ fitzpatrick: 7 }, 'case/fitzpatrick'],
    [{ sex: 'yes' }, 'case/sex'],
    [{ urgency: 'asap' }, 'case/urgency'],
    [{ question: '' }, 'case/question'],
    [{ history: 'long '.repeat(1001) }, 'case/history'],
    [{ patientRef: 'John Doe' }, 'case/patientRef'],
    [{ queue: 'nope' }, 'case/queue'],
  ])('refuses case fields %o with 400 naming %s, storing nothing', async (input, field) => {
    const objects = await objectKeys(t);
    const res = await postCase(t, clinician.token, ['orient-1.jpg'], input);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.message).toContain(field);
    expect(await objectKeys(t)).toEqual(objects);
  });

  it('needs at least one photo, a case field and matching kinds', async () => {
    const none = await t.http.post('/api/v1/cases').set('authorization', `Bearer ${clinician.token}`).field('case', JSON.stringify({ patientRef: 'A1', ageYears: 3, sex: 'male', bodySite: 'cheek', history: '', question: 'What is it?' }));
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('photo');
    const noCase = await t.http.post('/api/v1/cases').set('authorization', `Bearer ${clinician.token}`).attach('photos', fixture('orient-1.jpg'), 'a.jpg');
    expect(noCase.status).toBe(400);
    expect(noCase.body.message).toContain('case');
    const badKinds = await postCase(t, clinician.token, ['orient-1.jpg'], {}, ['overview', 'closeup']);
    expect(badKinds.status).toBe(400);
    expect(badKinds.body.message).toContain('kinds');
    const json = await t.http.post('/api/v1/cases').set('authorization', `Bearer ${clinician.token}`).send({ case: {} });
    expect(json.status).toBe(400);
  });

  it('never logs the client file name or case text', async () => {
    const marker = 'UniqueHistoryText1234';
    await postCase(t, clinician.token, ['real/nikon-e950.jpg'], { history: marker });
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(marker);
    expect(logs).not.toContain('nikon-e950');
    expect(logs).not.toContain('DSCN0010');
  });
});

describe('who may see a case and its photos', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('shows a case and its photos to the referrer, reviewers of its queue and admins; 404 to everyone else; 401 without a token', async () => {
    const owner = await t.createUser('clinician');
    const other = await t.createUser('clinician');
    const queueReviewer = await t.createUser('reviewer', { queues: ['general'] });
    const otherReviewer = await t.createUser('reviewer', { queues: ['paediatric'] });
    const created = await postCase(t, owner.token, ['orient-3.jpg']);
    expect(created.status).toBe(201);
    const caseId = created.body.id as string;
    const photoId = created.body.photos[0].id as string;
    const admin = await t.adminToken();

    for (const token of [owner.token, queueReviewer.token, admin]) {
      expect((await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${token}`)).status).toBe(200);
      const photo = await t.http.get(`/api/v1/photos/${photoId}`).set('authorization', `Bearer ${token}`);
      expect(photo.status).toBe(200);
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(photo.headers['cache-control']).toBe('no-store');
      expect(photo.headers['x-content-type-options']).toBe('nosniff');
    }
    for (const token of [other.token, otherReviewer.token]) {
      const c = await t.http.get(`/api/v1/cases/${caseId}`).set('authorization', `Bearer ${token}`);
      expect(c.status).toBe(404);
      expect(c.body.code).toBe('NOT_FOUND');
      expect((await t.http.get(`/api/v1/photos/${photoId}`).set('authorization', `Bearer ${token}`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/photos/${photoId}?variant=thumb`).set('authorization', `Bearer ${token}`)).status).toBe(404);
    }
    // Same answer for an id that does not exist at all.
    const missing = await t.http.get('/api/v1/cases/doesnotexist').set('authorization', `Bearer ${other.token}`);
    expect(missing.status).toBe(404);
    expect((await t.http.get(`/api/v1/cases/${caseId}`)).status).toBe(401);
    expect((await t.http.get(`/api/v1/photos/${photoId}`)).status).toBe(401);

    // Only the referrer adds photos.
    const addByReviewer = await t.http.post(`/api/v1/cases/${caseId}/photos`).set('authorization', `Bearer ${queueReviewer.token}`).attach('photos', fixture('orient-4.jpg'), 'x.jpg');
    expect(addByReviewer.status).toBe(404);
    const add = await t.http.post(`/api/v1/cases/${caseId}/photos`).set('authorization', `Bearer ${owner.token}`).field('kinds', '["closeup"]').attach('photos', fixture('orient-4.jpg'), 'x.jpg');
    expect(add.status).toBe(201);
    expect(add.body.photos).toEqual([expect.objectContaining({ kind: 'closeup', width: 480, height: 640 })]);

    // Each photo read is in the audit trail with its reader.
    const audit = await t.http.get(`/api/v1/audit?caseId=${caseId}&limit=500`).set('authorization', `Bearer ${admin}`);
    const reads = audit.body.items.filter((e: { action: string; targetId: string }) => e.action === 'photo.read' && e.targetId === photoId);
    const readers = new Set(reads.map((e: { actorId: string }) => e.actorId));
    expect(readers).toEqual(new Set([owner.id, queueReviewer.id, (await t.http.get('/api/v1/me').set('authorization', `Bearer ${admin}`)).body.id]));
  });

  it('lists own cases for clinicians, queue cases for reviewers, all for admins, with a cursor', async () => {
    const a = await t.createUser('clinician');
    const b = await t.createUser('clinician');
    const derm = await t.createUser('reviewer', { queues: ['inflammatory'] });
    for (let i = 0; i < 3; i++) expect((await postCase(t, a.token, ['orient-1.jpg'], { queue: 'inflammatory' })).status).toBe(201);
    expect((await postCase(t, b.token, ['orient-1.jpg'], { queue: 'general' })).status).toBe(201);
    const mine = await t.http.get('/api/v1/cases?limit=2').set('authorization', `Bearer ${a.token}`);
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.nextCursor).toBeTruthy();
    const rest = await t.http.get(`/api/v1/cases?limit=2&cursor=${mine.body.nextCursor}`).set('authorization', `Bearer ${a.token}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const ids = [...mine.body.items, ...rest.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(3);
    const reviewerView = await t.http.get('/api/v1/cases?queue=inflammatory').set('authorization', `Bearer ${derm.token}`);
    expect(reviewerView.body.items.length).toBe(3);
    expect(reviewerView.body.items.every((c: { queue: string }) => c.queue === 'inflammatory')).toBe(true);
    const reviewerOther = await t.http.get('/api/v1/cases?queue=general').set('authorization', `Bearer ${derm.token}`);
    expect(reviewerOther.body.items).toEqual([]);
    const all = await t.http.get('/api/v1/cases?limit=200').set('authorization', `Bearer ${await t.adminToken()}`);
    expect(all.body.items.length).toBeGreaterThanOrEqual(4);
  });
});
