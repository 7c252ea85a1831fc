// The photo pipeline, start to end: sniff -> header limits -> decode -> re-encode -> verify.
// Pure: bytes in, sanitized bytes and facts out; no HTTP and no storage.

import { AppError, BadRequestError, ImageCorruptError, ImageTooLargeError } from '../errors.js';
import { openSource } from './decode.js';
import { readHeader } from './dimensions.js';
import { findMetadata } from './inspect.js';
import { pipelineSlots } from './pipeline-slots.js';
import { sanitizeImage } from './sanitize.js';
import { openImage } from './sharp-setup.js';
import type { SanitizedImages } from './sanitize.js';
import { sniffImageType } from './sniff.js';
import type { SourceType } from './sniff.js';
import { verifySanitizedJpeg } from './verify.js';

export type { SourceType } from './sniff.js';

export interface PhotoLimits {
  maxPixels: number;
}

export interface SanitizedPhoto {
  image: Buffer;
  thumbnail: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  /** Of the stored image bytes, not of the upload. */
  sha256: string;
  thumbWidth: number;
  thumbHeight: number;
  removedMetadata: string[];
  sourceType: SourceType;
}

/** Anything libvips or the decoder throws on pixel data is the upload's fault: 422 (or 413). */
function asUploadError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/pixel limit/i.test(message)) return new ImageTooLargeError('The photo has more pixels than the limit');
  return new ImageCorruptError();
}

/** Waits for a free pipeline slot (see pipeline-slots.ts), then sanitizes. */
export function sanitizePhoto(input: Buffer, limits: PhotoLimits): Promise<SanitizedPhoto> {
  return pipelineSlots.run(() => sanitizeNow(input, limits));
}

async function sanitizeNow(input: Buffer, limits: PhotoLimits): Promise<SanitizedPhoto> {
  if (input.length === 0) throw new BadRequestError('The file is empty', 'EMPTY_FILE');
  const sourceType = sniffImageType(input);
  const header = await readHeader(input, sourceType, limits.maxPixels);

  // Inspection never fails and only reads headers, so it overlaps with the decode.
  const removedMetadata = findMetadata(input, sourceType, header.metadata);
  // It is designed never to reject; if it ever did while the decode fails, that must not
  // become an unhandled rejection.
  removedMetadata.catch(() => undefined);
  let result: SanitizedImages;
  try {
    const thumbnailSource = sourceType === 'jpeg' ? openImage(input, limits.maxPixels) : undefined;
    result = await sanitizeImage(await openSource(input, sourceType, header, limits.maxPixels), thumbnailSource);
  } catch (error) {
    throw asUploadError(error);
  }

  // Outside the try: a verification failure is ours, and must surface as a plain Error (500).
  // WebCrypto hashes on the thread pool, alongside the checks rather than after them.
  const [sha256] = await Promise.all([
    crypto.subtle.digest('SHA-256', result.image as Uint8Array<ArrayBuffer>),
    verifySanitizedJpeg(result.image),
    verifySanitizedJpeg(result.thumbnail),
  ]);

  return {
    image: result.image,
    thumbnail: result.thumbnail,
    contentType: 'image/jpeg',
    width: result.width,
    height: result.height,
    bytes: result.image.length,
    sha256: Buffer.from(sha256).toString('hex'),
    thumbWidth: result.thumbWidth,
    thumbHeight: result.thumbHeight,
    removedMetadata: await removedMetadata,
    sourceType,
  };
}
