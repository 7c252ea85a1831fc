// Re-encodes the pixels alone: orientation applied, sRGB, first page, no metadata, JPEG
// q92 4:4:4, and a thumbnail that is just as much a new encoding of the pixels.

import type { Sharp } from 'sharp';
import { openOwnOutput } from './sharp-setup.js';

export const JPEG_QUALITY = 92;
export const THUMBNAIL_MAX_SIDE = 512;

export interface SanitizedImages {
  image: Buffer;
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbWidth: number;
  thumbHeight: number;
}

// No optimised Huffman coding: it is lossless (same pixels, files ~6% smaller) but makes libjpeg hold
// every DCT coefficient of the photo (~70 MB at 12 MP 4:4:4) and encode twice; under concurrent
// uploads that doubled the service's peak RSS and cost ~15% throughput (scripts/bench.ts).
const JPEG_OPTIONS = { quality: JPEG_QUALITY, chromaSubsampling: '4:4:4', optimiseCoding: false } as const;

const thumbnailOf = (source: Sharp, seconds: number) =>
  source
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg(JPEG_OPTIONS)
    .timeout({ seconds })
    .toBuffer({ resolveWithObject: true });

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
  const { data: thumbnail, info: thumbInfo } = await (earlyThumbnail ?? thumbnailOf(openOwnOutput(image), maxSeconds));

  return {
    image,
    width: info.width,
    height: info.height,
    thumbnail,
    thumbWidth: thumbInfo.width,
    thumbHeight: thumbInfo.height,
  };
}
