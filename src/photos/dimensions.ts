// Reads an upload's pixel dimensions from its header alone and refuses oversized images
// before a single pixel is decoded (a 100 KB PNG can claim 900 megapixels).

import type { Metadata } from 'sharp';
import { ImageCorruptError, ImageTooLargeError } from '../errors.js';
import { readHeifStructure } from './isobmff.js';
import { sharp } from './sharp-setup.js';
import type { SourceType } from './sniff.js';

export interface ImageHeader {
  width: number;
  height: number;
  /** sharp's header metadata, reused downstream so the header is parsed once. */
  metadata: Metadata;
}

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1e5) / 10} megapixels`;
}

function refuseIfTooLarge(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new ImageTooLargeError(
      `The photo is ${width}x${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(maxPixels)}`,
    );
  }
}

export async function readHeader(input: Buffer, type: SourceType, maxPixels: number): Promise<ImageHeader> {
  if (type === 'heic' || type === 'avif') {
    // The WASM HEVC decoder has no pixel limit of its own, so every item it could be asked
    // to decode (grid, tiles, auxiliary images) is checked, not only the primary one.
    for (const item of readHeifStructure(input).itemSizes) refuseIfTooLarge(item.width, item.height, maxPixels);
  }
  let metadata: Metadata;
  try {
    // Header only; the limit is checked below so that the refusal can say how large it was.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageCorruptError();
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ImageCorruptError();
  refuseIfTooLarge(width, height, maxPixels);
  return { width, height, metadata };
}
