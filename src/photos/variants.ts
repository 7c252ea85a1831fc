// Which stored object serves each variant of a photo. Photos stored before display copies existed have
// none even when larger than a screen needs: theirs is made from the stored photo on its first request,
// verified, stored and recorded, so that it is made once.
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { PhotoRow } from '../repositories/cases.js';
import type { PhotoLimits } from './pipeline.js';
import { pipelineSlots } from './pipeline-slots.js';
import { DISPLAY_MAX_SIDE, displayCopyOf } from './sanitize.js';
import { DISPLAY_PREFIX, newObjectKey, storeObjectsThenCommit, type StoreContext } from './store-photos.js';
import { verifySanitizedJpeg } from './verify.js';

export const PHOTO_VARIANTS = ['full', 'display', 'thumb'] as const;
export type PhotoVariant = (typeof PHOTO_VARIANTS)[number];

export interface PhotoBytes {
  body: Readable | Buffer;
  contentType: string;
  length: number;
}

export interface VariantContext extends StoreContext {
  limits: Pick<PhotoLimits, 'maxDecodeSeconds' | 'memoryBytes'>;
  /** Records a display copy made now; false when another request recorded one first. */
  recordDisplayCopy(photoId: string, key: string, bytes: number): Promise<boolean>;
}

type StoredPhoto = Pick<PhotoRow, 'id' | 'objectKey' | 'thumbKey' | 'displayKey' | 'contentType' | 'width' | 'height' | 'bytes' | 'thumbBytes' | 'displayBytes'>;

export async function readPhotoVariant(context: VariantContext, photo: StoredPhoto, variant: PhotoVariant): Promise<PhotoBytes> {
  const { store } = context;
  if (variant === 'thumb') return { body: await store.get(photo.thumbKey), contentType: 'image/jpeg', length: photo.thumbBytes };
  if (variant === 'display' && photo.displayKey !== null && photo.displayBytes !== null) {
    return { body: await store.get(photo.displayKey), contentType: 'image/jpeg', length: photo.displayBytes };
  }
  if (variant === 'display' && Math.max(photo.width, photo.height) > DISPLAY_MAX_SIDE) {
    const copy = await displayCopyOnce(context, photo);
    return { body: copy, contentType: 'image/jpeg', length: copy.length };
  }
  // The full photo, which is also the display copy of a photo no larger than a screen needs.
  return { body: await store.get(photo.objectKey), contentType: photo.contentType, length: photo.bytes };
}

/** Display copies being made in this process, by photo id: requests that arrive meanwhile share the work. */
const making = new Map<string, Promise<Buffer>>();

function displayCopyOnce(context: VariantContext, photo: StoredPhoto): Promise<Buffer> {
  let copy = making.get(photo.id);
  if (!copy) {
    copy = makeDisplayCopy(context, photo).finally(() => making.delete(photo.id));
    making.set(photo.id, copy);
  }
  return copy;
}

/** A concurrent request (on another instance) recorded its display copy first. */
class DisplayCopyRecordedElsewhere extends Error {}

/**
 * Makes, verifies and stores the display copy, object first and row second. Whoever records first keeps
 * theirs; a request that loses that race removes its object (as after any failure) and serves its own
 * copy, the same pixels made from the same photo.
 */
async function makeDisplayCopy(context: VariantContext, photo: StoredPhoto): Promise<Buffer> {
  const { store, limits } = context;
  // It waits its turn with the uploads. Our own baseline JPEG decodes in strips: a decoded image's worth
  // of memory is more than it holds.
  const copy = await pipelineSlots.run(
    async () => {
      const full = await buffer(await store.get(photo.objectKey));
      const made = await displayCopyOf(full, photo.width, photo.height, limits.maxDecodeSeconds);
      if (!made) throw new Error('a display copy was asked of a photo no larger than one');
      await verifySanitizedJpeg(made.data);
      return made.data;
    },
    { bytes: photo.width * photo.height * 3, budget: limits.memoryBytes },
  );

  const key = newObjectKey(DISPLAY_PREFIX);
  try {
    await storeObjectsThenCommit(context, [{ key, body: copy, contentType: 'image/jpeg' }], async () => {
      if (!(await context.recordDisplayCopy(photo.id, key, copy.length))) throw new DisplayCopyRecordedElsewhere();
    });
  } catch (err) {
    if (!(err instanceof DisplayCopyRecordedElsewhere)) throw err;
  }
  return copy;
}
