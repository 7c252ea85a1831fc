// What the service stored for each JPEG of the mix, one upload each: its size against the upload's, and
// for an upright (orientation 1) photo kept as it is, whether it decodes to exactly the upload's pixels.
import sharp from 'sharp';
import type { BenchPhoto } from './bare.js';
import { send } from './http-client.js';
import { uploadPhoto, type RunningService, type StoredPhoto } from './service.js';

export interface StoredCheck {
  name: string;
  orientation: number;
  uploadBytes: number;
  stored: StoredPhoto | null;
  /** Stored bytes / upload bytes. */
  bytesRatio: number;
  /** Orientation 1 only: mean absolute difference of every decoded sample, NaN when the sizes differ. */
  meanAbsDiff: number | null;
  error: string | null;
}

async function storedBytes(service: RunningService, token: string, id: string): Promise<Buffer> {
  const res = await send(service.baseUrl, 'GET', `/api/v1/photos/${id}`, { authorization: `Bearer ${token}` });
  if (res.status !== 200) throw new Error(`GET /api/v1/photos/:id: HTTP ${res.status}`);
  return res.body;
}

async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((bytes) => sharp(bytes, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true })));
  if (x!.info.width !== y!.info.width || x!.info.height !== y!.info.height || x!.info.channels !== y!.info.channels) return NaN;
  let sum = 0;
  for (let i = 0; i < x!.data.length; i++) sum += Math.abs(x!.data[i]! - y!.data[i]!);
  return sum / x!.data.length;
}

export async function checkStoredPhotos(service: RunningService, token: string, photos: readonly BenchPhoto[]): Promise<StoredCheck[]> {
  const checks: StoredCheck[] = [];
  for (const photo of photos) {
    const orientation = (await sharp(photo.bytes).metadata()).orientation ?? 1;
    const check: StoredCheck = { name: photo.name, orientation, uploadBytes: photo.bytes.length, stored: null, bytesRatio: NaN, meanAbsDiff: null, error: null };
    try {
      check.stored = (await uploadPhoto(service, token, photo)).photo;
      check.bytesRatio = check.stored.bytes / photo.bytes.length;
      if (orientation === 1) check.meanAbsDiff = await meanAbsDiff(photo.bytes, await storedBytes(service, token, check.stored.id));
    } catch (err) {
      check.error = err instanceof Error ? err.message : String(err);
    }
    checks.push(check);
  }
  return checks;
}
