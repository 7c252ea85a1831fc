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
export const DISPLAY_PREFIX = 'displays/';
/** Every prefix a photo's objects are stored under: what the orphan sweep walks. */
export const PHOTO_OBJECT_PREFIXES = [PHOTO_PREFIX, THUMB_PREFIX, DISPLAY_PREFIX] as const;

export interface NewObject {
  key: string;
  body: Buffer;
  contentType: string;
}

/** A new random key under `prefix`, unrelated to the photo id, the case or the client's file name. */
export const newObjectKey = (prefix: string): string => `${prefix}${randomId()}`;

export async function storePhotosThenCommit<T>(
  context: StoreContext,
  sanitized: readonly SanitizedPhoto[],
  kinds: readonly PhotoKind[],
  commit: (photos: NewPhoto[]) => Promise<T>,
): Promise<T> {
  const planned: NewPhoto[] = sanitized.map((photo, i) => ({
    id: randomId(),
    kind: kinds[i]!,
    objectKey: newObjectKey(PHOTO_PREFIX),
    thumbKey: newObjectKey(THUMB_PREFIX),
    displayKey: photo.display ? newObjectKey(DISPLAY_PREFIX) : null,
    contentType: photo.contentType,
    width: photo.width,
    height: photo.height,
    bytes: photo.bytes,
    thumbBytes: photo.thumbnail.length,
    displayBytes: photo.display?.length ?? null,
    sha256: photo.sha256,
    removedMetadata: photo.removedMetadata,
    quality: photo.quality,
    encoding: photo.encoding,
  }));
  const objects = planned.flatMap((p, i): NewObject[] => {
    const { image, thumbnail, display } = sanitized[i]!;
    return [
      { key: p.objectKey, body: image, contentType: p.contentType },
      { key: p.thumbKey, body: thumbnail, contentType: 'image/jpeg' },
      ...(display && p.displayKey ? [{ key: p.displayKey, body: display, contentType: 'image/jpeg' }] : []),
    ];
  });
  return storeObjectsThenCommit(context, objects, () => commit(planned));
}

/** Stores the objects together, then commits; when anything fails, the objects that were stored are removed. */
export async function storeObjectsThenCommit<T>({ store, log, timer }: StoreContext, objects: readonly NewObject[], commit: () => Promise<T>): Promise<T> {
  const stored: string[] = [];
  const removeStored = async () => {
    try {
      await store.remove(stored);
    } catch (err) {
      // The reconcile job removes objects without rows; log without keys' meaning leaking anything.
      log.error({ err: { message: (err as Error).message }, objects: stored.length }, 'could not remove objects after a failed store or commit');
    }
  };

  try {
    const puts = objects.map(({ key, body, contentType }) => store.put(key, body, contentType).then(() => void stored.push(key)));
    const results = await Promise.allSettled(puts);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    timer.lap('store');
    const committed = await commit();
    timer.lap('commit');
    return committed;
  } catch (err) {
    await removeStored();
    throw err;
  }
}
