// Puts sanitized photos into the object store under random keys, then lets the caller commit their rows.
// Object first, row second: if anything fails, every object this call stored is removed again.
import type { BaseLogger } from 'pino';
import { randomId } from '../ids.js';
import type { NewPhoto } from '../repositories/cases.js';
import type { PhotoKind } from '../vocabulary.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { SanitizedPhoto } from './pipeline.js';
import type { PhaseTimer } from './upload.js';

export interface StoreContext {
  store: ObjectStore;
  log: Pick<BaseLogger, 'error'>;
  timer: PhaseTimer;
}

export const PHOTO_PREFIX = 'photos/';
export const THUMB_PREFIX = 'thumbs/';

export async function storePhotosThenCommit<T>(
  { store, log, timer }: StoreContext,
  sanitized: readonly SanitizedPhoto[],
  kinds: readonly PhotoKind[],
  commit: (photos: NewPhoto[]) => Promise<T>,
): Promise<T> {
  const planned: NewPhoto[] = sanitized.map((photo, i) => {
    const id = randomId();
    return {
      id,
      kind: kinds[i]!,
      // Keys are random and unrelated to the photo id, the case or the client's file name.
      objectKey: `${PHOTO_PREFIX}${randomId()}`,
      thumbKey: `${THUMB_PREFIX}${randomId()}`,
      contentType: photo.contentType,
      width: photo.width,
      height: photo.height,
      bytes: photo.bytes,
      thumbBytes: photo.thumbnail.length,
      sha256: photo.sha256,
      removedMetadata: photo.removedMetadata,
    };
  });

  const stored: string[] = [];
  const removeStored = async () => {
    try {
      await store.remove(stored);
    } catch (err) {
      // The reconcile job removes objects without rows; log without keys' meaning leaking anything.
      log.error({ err: { message: (err as Error).message }, objects: stored.length }, 'could not remove objects after a failed upload');
    }
  };

  try {
    const puts = planned.flatMap((p, i) => [
      store.put(p.objectKey, sanitized[i]!.image, p.contentType).then(() => void stored.push(p.objectKey)),
      store.put(p.thumbKey, sanitized[i]!.thumbnail, 'image/jpeg').then(() => void stored.push(p.thumbKey)),
    ]);
    const results = await Promise.allSettled(puts);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    timer.lap('store');
    const committed = await commit(planned);
    timer.lap('commit');
    return committed;
  } catch (err) {
    await removeStored();
    throw err;
  }
}
