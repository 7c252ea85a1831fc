// Re-encodes the pixels alone: orientation applied, sRGB, first page, no metadata, JPEG
// q92 4:4:4; the thumbnail is cut from that clean output, never from the upload.

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

/**
 * `source` must come from openSource(). sharp writes no metadata unless asked to
 * (no keepMetadata/withMetadata here), and verify.ts checks that this stays true.
 */
export async function sanitizeImage(source: Sharp): Promise<SanitizedImages> {
  const { data: image, info } = await source
    .autoOrient()
    // JPEG has no alpha; transparent areas become white rather than black.
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg(JPEG_OPTIONS)
    .toBuffer({ resolveWithObject: true });

  // Shrink-on-load makes decoding our own JPEG at 1/8 scale cheaper than holding the
  // full-size pixels for a second resize, and the thumbnail inherits a verified-clean source.
  const { data: thumbnail, info: thumbInfo } = await openOwnOutput(image)
    .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg(JPEG_OPTIONS)
    .toBuffer({ resolveWithObject: true });

  return {
    image,
    width: info.width,
    height: info.height,
    thumbnail,
    thumbWidth: thumbInfo.width,
    thumbHeight: thumbInfo.height,
  };
}
