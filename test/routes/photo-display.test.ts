// GET /api/v1/photos/:id?variant=display: the ≤ 2048 px copy a screen needs, made at intake, or on first
// request for photos stored before display copies existed; stored all or nothing, like the photo itself.
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { verifyJpegStructure } from '../../src/photos/verify.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, getPhotoBytes, objectKeys, postCase } from '../helpers/cases.js';
import { leakedStrings } from '../helpers/images.js';

const ARTIST = 'Jane Roe of Elm Street';

/** A 3000 x 2000 JPEG, skin with a darker patch, whose EXIF names someone. */
async function largePhoto(): Promise<Buffer> {
  const patch = await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 110, g: 50, b: 40 } } }).png().toBuffer();
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 214, g: 160, b: 130 } } })
    .composite([{ input: patch, left: 1200, top: 800 }])
    .withExif({ IFD0: { Artist: ARTIST, Copyright: ARTIST } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function expectCleanJpeg(bytes: Buffer) {
  verifyJpegStructure(bytes);
  expect(await exifr.parse(bytes, { tiff: true, xmp: true, iptc: true, icc: true, jfif: false }).catch(() => undefined)).toBeUndefined();
  expect(leakedStrings(bytes, [ARTIST, 'Jane Roe'])).toEqual([]);
}

const displayKeys = async (t: TestApp) => (await objectKeys(t)).filter((key) => key.startsWith('displays/'));

function photoRow(t: TestApp, id: string) {
  return t.sql.one<{ display_key: string | null; display_bytes: number | null }>('select display_key, display_bytes from photos where id = ?', id);
}

/** Makes the photo look as if stored before display copies existed: no copy, no key. */
async function asLegacy(t: TestApp, id: string) {
  const row = await photoRow(t, id);
  if (row?.display_key) await t.app.store.remove([row.display_key]);
  await t.sql.run('update photos set display_key = null, display_bytes = null where id = ?', id);
}

function getDisplay(t: TestApp, token: string, photoId: string) {
  return t.http.get(`/api/v1/photos/${photoId}?variant=display`).set('authorization', `Bearer ${token}`);
}

describe('the display variant of a photo', () => {
  let t: TestApp;
  let clinician: { id: string; token: string };
  let large: Buffer;
  /** Runs before the store puts a display copy: a test makes the put fail, or races it. */
  let beforeDisplayPut: ((body: Buffer) => Promise<void>) | null = null;
  const failingPut = async () => {
    throw new ServiceUnavailableError('Photo storage is unavailable', 'STORAGE_UNAVAILABLE'); // as the store answers when down
  };
  beforeAll(async () => {
    t = await startTestApp({}, { skipOrphanSweep: true });
    clinician = await t.createUser('clinician');
    large = await largePhoto();
    const put = t.app.store.put.bind(t.app.store);
    t.app.store.put = async (key, body, contentType) => {
      if (beforeDisplayPut && key.startsWith('displays/')) await beforeDisplayPut(body);
      return put(key, body, contentType);
    };
  });
  afterAll(async () => t.close());

  // The upload is kept lossless; its display copy comes from decoding it at 5/8 (libjpeg scales in its
  // inverse DCT): the largest eighth that fits in 2048 px, in the upload's own 4:2:0 colour.
  it('is a 1875 x 1250 JPEG of a 3000 x 2000 upload, without metadata and smaller, while the full photo stays 3000 x 2000', async () => {
    const created = await postCase(t, clinician.token, [large]);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const photo = created.body.photos[0];
    expect([photo.width, photo.height]).toEqual([3000, 2000]);

    const res = await getDisplay(t, clinician.token, photo.id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const display = await getPhotoBytes(t, clinician.token, photo.id, 'display');
    expect(Number(res.headers['content-length'])).toBe(display.length);
    const meta = await sharp(display).metadata();
    expect([meta.format, meta.width, meta.height, meta.chromaSubsampling]).toEqual(['jpeg', 1875, 1250, '4:2:0']);
    await expectCleanJpeg(display);

    const full = await getPhotoBytes(t, clinician.token, photo.id);
    const fullMeta = await sharp(full).metadata();
    expect([fullMeta.width, fullMeta.height]).toEqual([3000, 2000]);
    expect(display.length).toBeLessThan(full.length);

    // Stored at intake under its own random key, and counted in the row.
    const row = await photoRow(t, photo.id);
    expect(row?.display_key).toMatch(/^displays\/[A-Za-z0-9_-]{16,}$/);
    expect(Number(row?.display_bytes)).toBe(display.length);
    expect(await displayKeys(t)).toContain(row?.display_key);
  });

  it('is the full photo itself for a photo no larger than 2048 px, with no object of its own', async () => {
    const objectsBefore = (await objectKeys(t)).length;
    const created = await postCase(t, clinician.token, ['orient-1.jpg']);
    expect(created.status).toBe(201);
    const photoId = created.body.photos[0].id as string;
    expect((await objectKeys(t)).length).toBe(objectsBefore + 2); // the photo and its thumbnail
    expect(await photoRow(t, photoId)).toMatchObject({ display_key: null, display_bytes: null });

    const display = await getPhotoBytes(t, clinician.token, photoId, 'display');
    expect(display.equals(await getPhotoBytes(t, clinician.token, photoId))).toBe(true);
    expect((await objectKeys(t)).length).toBe(objectsBefore + 2);
  });

  it('audits every read as photo.read_display with its reader', async () => {
    const created = await postCase(t, clinician.token, [large]);
    const photoId = created.body.photos[0].id as string;
    const admin = await t.adminToken();
    await getPhotoBytes(t, clinician.token, photoId, 'display');
    await getPhotoBytes(t, admin, photoId, 'display');
    const audit = await t.http.get(`/api/v1/audit?caseId=${created.body.id}&action=photo.read_display&limit=500`).set('authorization', `Bearer ${admin}`);
    expect(audit.status).toBe(200);
    const reads = audit.body.items.filter((e: { targetId: string }) => e.targetId === photoId);
    const adminId = (await t.http.get('/api/v1/me').set('authorization', `Bearer ${admin}`)).body.id;
    expect(reads.map((e: { actorId: string }) => e.actorId).sort()).toEqual([clinician.id, adminId].sort());
  });

  it('answers 404 to someone who may not see the case, and makes no display copy for them', async () => {
    const other = await t.createUser('clinician');
    const otherReviewer = await t.createUser('reviewer', { queues: ['paediatric'] });
    const created = await postCase(t, clinician.token, [large]);
    const photoId = created.body.photos[0].id as string;
    await asLegacy(t, photoId);
    const copiesBefore = await displayKeys(t);
    for (const token of [other.token, otherReviewer.token]) {
      const res = await getDisplay(t, token, photoId);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect(await displayKeys(t)).toEqual(copiesBefore);
    expect((await photoRow(t, photoId))?.display_key).toBeNull();
    expect((await getDisplay(t, clinician.token, 'no-such-photo')).status).toBe(404);
  });

  it('makes the display copy of a photo stored before display copies, once, on its first requests', async () => {
    const created = await postCase(t, clinician.token, [large]);
    const photoId = created.body.photos[0].id as string;
    await asLegacy(t, photoId);
    const copiesBefore = await displayKeys(t);

    // Two viewers at once: both are answered, one copy is stored.
    const [a, b] = await Promise.all([getPhotoBytes(t, clinician.token, photoId, 'display'), getPhotoBytes(t, clinician.token, photoId, 'display')]);
    for (const copy of [a, b]) {
      const meta = await sharp(copy).metadata();
      expect([meta.width, meta.height, meta.chromaSubsampling]).toEqual([2048, 1365, '4:4:4']);
      await expectCleanJpeg(copy);
    }
    const made = (await displayKeys(t)).filter((key) => !copiesBefore.includes(key));
    expect(made).toHaveLength(1);
    const row = await photoRow(t, photoId);
    expect(row).toEqual({ display_key: made[0], display_bytes: a.length });

    // Later reads serve the stored copy; nothing more is made.
    const later = await getPhotoBytes(t, clinician.token, photoId, 'display');
    expect(later.equals(a)).toBe(true);
    expect((await displayKeys(t)).filter((key) => !copiesBefore.includes(key))).toEqual(made);
  });

  it('removes its copy when another instance recorded one first, and still answers', async () => {
    const created = await postCase(t, clinician.token, [large]);
    const photoId = created.body.photos[0].id as string;
    await asLegacy(t, photoId);
    const copiesBefore = await displayKeys(t);

    // While this request stores its copy, another instance stores and records its own.
    const theirs = `displays/other-instance-${photoId}`;
    beforeDisplayPut = async (body) => {
      beforeDisplayPut = null;
      await t.app.store.put(theirs, body, 'image/jpeg');
      await t.sql.run('update photos set display_key = ?, display_bytes = ? where id = ?', theirs, body.length, photoId);
    };
    const copy = await getPhotoBytes(t, clinician.token, photoId, 'display');
    expect((await sharp(copy).metadata()).width).toBe(2048);
    expect((await displayKeys(t)).filter((key) => !copiesBefore.includes(key))).toEqual([theirs]);
    expect((await photoRow(t, photoId))?.display_key).toBe(theirs);
  });

  it('stores nothing when the display copy of an upload cannot be stored: no case, no photo, no object', async () => {
    const before = { cases: await countRows(t, 'cases'), photos: await countRows(t, 'photos'), objects: await objectKeys(t) };
    beforeDisplayPut = failingPut;
    try {
      const res = await postCase(t, clinician.token, ['orient-1.jpg', large]);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      beforeDisplayPut = null;
    }
    expect(await countRows(t, 'cases')).toBe(before.cases);
    expect(await countRows(t, 'photos')).toBe(before.photos);
    expect(await objectKeys(t)).toEqual(before.objects);
  });

  it('leaves no object and no key when the display copy made on first request cannot be stored, and makes it next time', async () => {
    const created = await postCase(t, clinician.token, [large]);
    const photoId = created.body.photos[0].id as string;
    await asLegacy(t, photoId);
    const copiesBefore = await displayKeys(t);

    beforeDisplayPut = failingPut;
    try {
      const res = await getDisplay(t, clinician.token, photoId);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      beforeDisplayPut = null;
    }
    expect(await displayKeys(t)).toEqual(copiesBefore);
    expect((await photoRow(t, photoId))?.display_key).toBeNull();

    const copy = await getPhotoBytes(t, clinician.token, photoId, 'display');
    expect((await sharp(copy).metadata()).width).toBe(2048);
    expect((await photoRow(t, photoId))?.display_key).toMatch(/^displays\//);
  });
});
