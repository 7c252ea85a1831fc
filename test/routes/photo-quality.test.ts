// SPEC "Photo quality at capture": each photo's quality, measured at intake on its thumbnail, stored with it and
// given back with it. The degraded copies go far beyond any plausible threshold, so the test holds when the
// thresholds of src/photos/quality.ts are tuned.
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';
import { fixture } from '../helpers/images.js';

const SHARP_PHOTO = 'real/jolla.jpg';

interface PhotoView {
  id: string;
  width: number;
  height: number;
  quality: { sharpness: number; exposure: number; contrast: number; shadows: number; highlights: number; warnings: string[] } | null;
}

const jpeg = (image: Sharp) => image.jpeg({ quality: 90 }).toBuffer();

/** Each copy of the sharp photo, spoiled in one way, and the warning it must get. */
async function degradedCopies(): Promise<[warning: string, photo: Buffer][]> {
  const original = fixture(SHARP_PHOTO);
  const { width = 0, height = 0 } = await sharp(original).metadata();
  return [
    ['blurry', await jpeg(sharp(original).blur(30))],
    ['too_dark', await jpeg(sharp(original).linear(0.15, 0))],
    ['too_bright', await jpeg(sharp(original).linear(3, 0))],
    ['low_contrast', await jpeg(sharp(original).linear(0.2, 100))],
    ['too_small', await jpeg(sharp(original).extract({ left: Math.round(width / 2) - 300, top: Math.round(height / 2) - 200, width: 600, height: 400 }))],
  ];
}

/** The quality column as stored, whichever database: SQLite gives the JSON text, PostgreSQL the parsed jsonb. */
async function storedQuality(t: TestApp, photoId: string): Promise<unknown> {
  const row = await t.sql.one<{ quality: unknown }>('select quality from photos where id = ?', photoId);
  return typeof row?.quality === 'string' ? JSON.parse(row.quality) : row?.quality;
}

describe('photo quality', () => {
  let t: TestApp;
  let clinician: { id: string; token: string };
  let degraded: [string, Buffer][];
  beforeAll(async () => {
    t = await startTestApp();
    clinician = await t.createUser('clinician');
    degraded = await degradedCopies();
  });
  afterAll(async () => t.close());

  const readCase = (id: string) => t.http.get(`/api/v1/cases/${id}`).set('authorization', `Bearer ${clinician.token}`);

  it('warns of nothing on a sharp, well-lit photo, and of what was spoiled on each copy, stored and read back with the case', async () => {
    const res = await postCase(t, clinician.token, [SHARP_PHOTO, ...degraded.map(([, photo]) => photo)]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const photos = res.body.photos as PhotoView[];
    expect(photos[0]!.quality).toMatchObject({ warnings: [] });
    for (const [i, [warning]] of degraded.entries()) {
      expect(photos[i + 1]!.quality!.warnings, warning).toContain(warning);
    }
    // The measures themselves say what the warnings do.
    const [untouched, blurred, dark, bright, flat] = photos.map((p) => p.quality!);
    expect(blurred!.sharpness).toBeLessThan(untouched!.sharpness / 3);
    expect(dark!.shadows).toBeGreaterThan(0.9);
    expect(dark!.exposure).toBeLessThan(0.2);
    expect(bright!.highlights).toBeGreaterThan(0.5);
    expect(flat!.contrast).toBeLessThan(untouched!.contrast / 3);
    expect(photos[5]).toMatchObject({ width: 600, height: 400 });

    const read = await readCase(res.body.id);
    expect(read.status).toBe(200);
    expect((read.body.photos as PhotoView[]).map((p) => p.quality)).toEqual(photos.map((p) => p.quality));
    for (const photo of photos) expect(await storedQuality(t, photo.id)).toEqual(photo.quality);
  });

  it('measures photos added to a case, and HEIC photos too', async () => {
    const created = await postCase(t, clinician.token, [SHARP_PHOTO]);
    expect(created.status).toBe(201);
    const blurred = degraded.find(([warning]) => warning === 'blurry')![1];
    const added = await t.http
      .post(`/api/v1/cases/${created.body.id}/photos`)
      .set('authorization', `Bearer ${clinician.token}`)
      .attach('photos', blurred, { filename: 'a.jpg', contentType: 'image/jpeg' })
      .attach('photos', fixture('real/IMG_5195.HEIC'), { filename: 'b.heic', contentType: 'image/heic' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const [blurredView, heic] = added.body.photos as PhotoView[];
    expect(blurredView!.quality!.warnings).toContain('blurry');
    // An 8.5 MP iPhone photo of a real scene: measured on its decoded pixels, large enough, not blurred to nothing.
    expect(heic).toMatchObject({ width: 2566, height: 3313 });
    expect(heic!.quality!.warnings).not.toContain('too_small');
    expect(heic!.quality!.sharpness).toBeGreaterThan(blurredView!.quality!.sharpness);
    expect(heic!.quality!.exposure).toBeGreaterThan(0);
    expect(await storedQuality(t, heic!.id)).toEqual(heic!.quality);
  });

  it('gives null quality for a photo stored before quality was measured', async () => {
    const created = await postCase(t, clinician.token, [SHARP_PHOTO]);
    const photoId = created.body.photos[0].id as string;
    expect(await t.sql.run('update photos set quality = null where id = ?', photoId)).toBe(1);
    const read = await readCase(created.body.id);
    expect(read.status).toBe(200);
    expect(read.body.photos[0]).toMatchObject({ id: photoId, quality: null });
  });
});
