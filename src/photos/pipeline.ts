// The photo pipeline, start to end: sniff -> container checks -> header limits -> then either the lossless
// path (a plain JPEG keeps its own image data: lossless-jpeg.ts) or decode -> re-encode (the photo, its
// thumbnail and, when larger than a screen needs, its display copy) -> verify, and the photo's quality
// measured on its thumbnail. Both paths end in the same verification.
// Pure: bytes in, sanitized bytes and facts out; no HTTP and no storage. Every step is bounded: the
// container and header are read in time proportional to the file, the decode by MAX_DECODE_SECONDS, and
// the photos in flight by count and by memory (pipeline-slots.ts). An aborted signal (the client went
// away, or another photo of the same upload failed) stops the work at the next step.

import { AppError, BadRequestError, ImageCorruptError, ImageTooComplexError, ImageTooLargeError } from '../errors.js';
import { checkContainer, type Container } from './container.js';
import { openSource } from './decode.js';
import { readHeader, type ImageHeader } from './dimensions.js';
import { findMetadata } from './inspect.js';
import { keepImageData, planLossless } from './lossless-jpeg.js';
import { pipelineSlots } from './pipeline-slots.js';
import { measureQuality, type PhotoQuality } from './quality.js';
import { sanitizeImage } from './sanitize.js';
import { openImage, openOwnOutput } from './sharp-setup.js';
import type { SanitizedImages } from './sanitize.js';
import { sniffImageType } from './sniff.js';
import type { SourceType } from './sniff.js';
import { verifySanitizedJpeg } from './verify.js';
import type { PhotoEncoding } from '../vocabulary.js';

export type { SourceType } from './sniff.js';

export interface PhotoLimits {
  maxPixels: number;
  /** A photo whose decoding takes longer is refused 422 IMAGE_TOO_COMPLEX. */
  maxDecodeSeconds: number;
  /** What the photos being worked on may hold in memory together (PHOTO_MEMORY_MB); one alone may not need more. */
  memoryBytes: number;
}

export interface SanitizedPhoto {
  image: Buffer;
  thumbnail: Buffer;
  /** The ≤ 2048 px copy; null when the image is no larger and is its own display copy. */
  display: Buffer | null;
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
  /** 'lossless': the upload's own JPEG image data, verified, with nothing else; 'reencoded': new pixels. */
  encoding: PhotoEncoding;
  quality: PhotoQuality;
}

/** Anything libvips or the decoder throws on pixel data is the upload's fault: 422 (or 413). */
function asUploadError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/pixel limit/i.test(message)) return new ImageTooLargeError('The photo has more pixels than the limit');
  if (/timeout/i.test(message)) return new ImageTooComplexError('The photo took too long to open: please send it as an ordinary JPEG');
  return new ImageCorruptError();
}

/**
 * Memory a photo holds while it is worked on, per byte of its decoded pixels, as measured on 12 MP
 * photos of each kind (peak RSS over the process before it, one photo at a time; 8 MP for the HEIC,
 * 3 MP for the AVIF): a baseline JPEG streams in strips (0.6, but 1.5 when its orientation makes the
 * whole image turn), a progressive JPEG keeps its coefficients (1.2), PNG 1.0-1.3, TIFF 0.5, WebP
 * decodes whole and copies (2.6), HEIC goes through WASM and a transfer (4.2 over RGBA), AVIF through
 * libheif and aom (6.2). Rounded up, so that the bound holds.
 */
const WORKING_FACTOR: Record<SourceType, number> = { jpeg: 1.5, png: 1.3, tiff: 1.3, webp: 2.6, heic: 4.5, avif: 6.5 };

export function workingBytes(header: ImageHeader, type: SourceType): number {
  return Math.round(header.decodedBytes * WORKING_FACTOR[type]);
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/**
 * Checks the upload, then waits for a pipeline slot and the memory it needs, then sanitizes. A photo that
 * would need more memory than all photos in flight may hold together is refused before any decoding.
 */
export async function sanitizePhoto(input: Buffer, limits: PhotoLimits, signal?: AbortSignal): Promise<SanitizedPhoto> {
  if (input.length === 0) throw new BadRequestError('The file is empty', 'EMPTY_FILE');
  const sourceType = sniffImageType(input);
  const container = checkContainer(input, sourceType, limits);
  const header = await readHeader(container, sourceType, limits.maxPixels);
  const bytes = workingBytes(header, sourceType);
  if (bytes > limits.memoryBytes) {
    throw new ImageTooLargeError(
      `The photo would need about ${mb(bytes)} of memory to open (its size, colour depth and format); the limit is ${mb(limits.memoryBytes)}: please send it as an ordinary JPEG`,
    );
  }
  return pipelineSlots.run(() => sanitizeNow(input, sourceType, container, header, limits, signal), { bytes, budget: limits.memoryBytes, signal });
}

async function sanitizeNow(input: Buffer, sourceType: SourceType, container: Container, header: ImageHeader, limits: PhotoLimits, signal?: AbortSignal): Promise<SanitizedPhoto> {
  // Inspection never fails and only reads headers, so it overlaps with the decode.
  const removedMetadata = findMetadata(input, sourceType, { metadata: header.metadata ?? undefined, container });
  // It is designed never to reject; if it ever did while the decode fails, that must not
  // become an unhandled rejection.
  removedMetadata.catch(() => undefined);
  let result: SanitizedImages | null = null;
  let encoding: PhotoEncoding = 'reencoded';
  try {
    signal?.throwIfAborted();
    const lossless = container.jpeg ? planLossless(input, container.jpeg, header) : null;
    if (lossless) result = await keepImageData(lossless, limits, signal);
    if (result) encoding = 'lossless';
    else result = await reencode(input, sourceType, container, header, limits, signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw asUploadError(error);
  }
  signal?.throwIfAborted();

  // Outside the try: a verification failure is ours, and must surface as a plain Error (500).
  // WebCrypto hashes on the thread pool, alongside the checks rather than after them.
  const [sha256, quality] = await Promise.all([
    crypto.subtle.digest('SHA-256', result.image as Uint8Array<ArrayBuffer>),
    qualityOf(result.thumbnail, result.width, result.height),
    verifySanitizedJpeg(result.image),
    verifySanitizedJpeg(result.thumbnail),
    result.display && verifySanitizedJpeg(result.display.data),
  ]);

  return {
    image: result.image,
    thumbnail: result.thumbnail,
    display: result.display?.data ?? null,
    contentType: 'image/jpeg',
    width: result.width,
    height: result.height,
    bytes: result.image.length,
    sha256: Buffer.from(sha256).toString('hex'),
    thumbWidth: result.thumbWidth,
    thumbHeight: result.thumbHeight,
    removedMetadata: await removedMetadata,
    sourceType,
    encoding,
    quality,
  };
}

/** The pixels decoded and encoded anew: every format but a JPEG the lossless path keeps. */
async function reencode(input: Buffer, sourceType: SourceType, container: Container, header: ImageHeader, limits: PhotoLimits, signal?: AbortSignal): Promise<SanitizedImages> {
  const source = await openSource(container.decoderInput, sourceType, header, limits, signal);
  // A baseline JPEG shrinks on load for its thumbnail (1/8 scale for a few ms); a progressive one
  // must be decoded whole either way, so its thumbnail is cut from the output instead.
  const thumbnailSource = sourceType === 'jpeg' && !container.jpeg?.progressive ? openImage(input, limits.maxPixels) : undefined;
  signal?.throwIfAborted();
  return sanitizeImage(source, thumbnailSource, limits.maxDecodeSeconds);
}

/**
 * Measured on the thumbnail's pixels: it is already the small copy quality.ts measures (its long side is
 * QUALITY_SIDE, as the browser's canvas), and decoding ~0.2 MP of our own JPEG costs a few milliseconds.
 * `width` x `height` is the photo's own size, for too_small.
 */
async function qualityOf(thumbnail: Buffer, width: number, height: number): Promise<PhotoQuality> {
  // Our thumbnail is sRGB without alpha; the conversion only makes certain of three channels.
  const { data, info } = await openOwnOutput(thumbnail).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return measureQuality(data, info.width, info.height, 3, width, height);
}
