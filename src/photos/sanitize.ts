// Re-encodes the pixels alone: orientation applied, sRGB, first page, no metadata, JPEG
// q92 4:4:4, and a thumbnail and a screen-sized copy that are just as much new encodings of the pixels.

import type { Sharp } from 'sharp';
import { QUALITY_SIDE } from './quality.js';
import { openOwnOutput } from './sharp-setup.js';

export const JPEG_QUALITY = 92;
/** The thumbnail is also the small copy the photo's quality is measured on (pipeline.ts), at the browser's size. */
export const THUMBNAIL_MAX_SIDE = QUALITY_SIDE;
export const DISPLAY_MAX_SIDE = 2048;

export interface EncodedImage {
  data: Buffer;
  width: number;
  height: number;
}

export interface SanitizedImages {
  image: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbWidth: number;
  thumbHeight: number;
  /** Null when the image is no larger than DISPLAY_MAX_SIDE: it is then its own display copy. */
  display: EncodedImage | null;
}

// No optimised Huffman coding: it is lossless (same pixels, files ~6% smaller) but makes libjpeg hold
// every DCT coefficient of the photo (~70 MB at 12 MP 4:4:4) and encode twice; under concurrent
// uploads that doubled the service's peak RSS and cost ~15% throughput (scripts/bench.ts).
export const JPEG_OPTIONS = { quality: JPEG_QUALITY, chromaSubsampling: '4:4:4', optimiseCoding: false } as const;

// The display copy is seen at about its own size on a screen, where q85 is the usual quality and ~30%
// smaller than q92. Chroma stays 4:4:4: 4:2:0 would halve the colour resolution, blurring the red and
// brown edges (erythema, pigment network) a reader judges at this size. A 2048 x 1536 phone photo at
// q85 4:4:4 is as large as at q92 4:2:0 (0.70 MB): the bytes go to colour rather than to fine luma.
export const DISPLAY_JPEG_OPTIONS = { ...JPEG_OPTIONS, quality: 85 } as const;

const thumbnailOf = (source: Sharp, seconds: number) =>
  source
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg(JPEG_OPTIONS)
    .timeout({ seconds })
    .toBuffer({ resolveWithObject: true });

/**
 * The screen-sized copy of one of our own sanitized JPEGs, or null when the image is no larger (it is
 * then its own display copy). It is cut from the encoded output, not from the upload: our output is a
 * baseline, upright, sRGB JPEG that decodes in strips beside little memory, where a second decode of the
 * upload would cost twice the CPU (chroma upsampling, turning) and, for formats decoded whole, twice the
 * memory. Shrink-on-load cannot help here: it only halves, and a 12 MP photo is less than twice 2048 px.
 */
export async function displayCopyOf(image: Buffer, width: number, height: number, seconds: number): Promise<EncodedImage | null> {
  if (Math.max(width, height) <= DISPLAY_MAX_SIDE) return null;
  const { data, info } = await openOwnOutput(image)
    .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside' })
    .jpeg(DISPLAY_JPEG_OPTIONS)
    .timeout({ seconds })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * `source` must come from openSource(). sharp writes no metadata unless asked to
 * (no keepMetadata/withMetadata here), and verify.ts checks that this stays true.
 *
 * `thumbnailSource`, when given, is a second opening of a JPEG upload: JPEG shrink-on-load decodes
 * it at 1/8 scale for a few milliseconds, so the thumbnail is made on another core while the full
 * image encodes, instead of after it. Other formats have no cheap reduced decode, so their thumbnail
 * is cut from the encoded output.
 *
 * Each step stops with a timeout error after `maxSeconds` of processing (libvips checks as it goes),
 * which the pipeline answers with 422 IMAGE_TOO_COMPLEX.
 */
export async function sanitizeImage(source: Sharp, thumbnailSource: Sharp | undefined, maxSeconds: number): Promise<SanitizedImages> {
  const encodeImage = source
    .autoOrient()
    // JPEG has no alpha; transparent areas become white rather than black.
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg(JPEG_OPTIONS)
    .timeout({ seconds: maxSeconds })
    .toBuffer({ resolveWithObject: true });

  const earlyThumbnail = thumbnailSource
    ? thumbnailOf(thumbnailSource.autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb'), maxSeconds)
    : null;
  // Settled below; a failure of the image must not leave this rejection unhandled.
  earlyThumbnail?.catch(() => undefined);

  const { data: image, info } = await encodeImage;
  const [{ data: thumbnail, info: thumbInfo }, display] = await Promise.all([
    earlyThumbnail ?? thumbnailOf(openOwnOutput(image), maxSeconds),
    displayCopyOf(image, info.width, info.height, maxSeconds),
  ]);

  return {
    image,
    width: info.width,
    height: info.height,
    thumbnail,
    thumbWidth: thumbInfo.width,
    thumbHeight: thumbInfo.height,
    display,
  };
}
