// Reads an upload's pixel dimensions and sample layout from its header alone, and refuses images over the
// pixel limit before a single pixel is decoded (a 100 KB PNG can claim 900 megapixels). The bytes the
// pixels take once decoded go to the pipeline's memory bound: at the same pixel count a 16-bit RGBA PNG
// needs eight times the memory of an 8-bit greyscale one.

import type { Metadata } from 'sharp';
import { ImageCorruptError, ImageTooLargeError } from '../errors.js';
import type { Container } from './container.js';
import { sharp } from './sharp-setup.js';
import type { SourceType } from './sniff.js';

export interface ImageHeader {
  width: number;
  height: number;
  /** sharp's header metadata, reused downstream so the header is parsed once; null for a HEIC libvips cannot read. */
  metadata: Metadata | null;
  /** The ICC profile the pixels are in, if the file has one. */
  icc: Buffer | undefined;
  /** Bytes of the whole decoded image: width x height x bands x bytes per sample. */
  decodedBytes: number;
}

/** Bytes per sample of each libvips band format. */
const SAMPLE_BYTES: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };

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

async function sharpHeader(input: Buffer): Promise<Metadata> {
  try {
    // Header only; the limit is checked by the caller so that the refusal can say how large it was.
    return await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageCorruptError();
  }
}

export async function readHeader(container: Container, type: SourceType, maxPixels: number): Promise<ImageHeader> {
  const heif = container.heif;
  if (heif) {
    // The HEVC decoder has no pixel limit of its own, so every item it could be asked to decode (grid
    // tiles, thumbnails, auxiliary images) is checked, not only the primary one.
    for (const item of heif.itemSizes) refuseIfTooLarge(item.width, item.height, maxPixels);
  }
  if (type === 'heic' && heif) {
    // sharp's libvips has no HEVC decoder and may not read every HEIC header; the structure says enough.
    if (!heif.primarySize) throw new ImageCorruptError();
    const metadata = await sharpHeader(container.decoderInput).catch(() => null);
    const { width, height } = heif.primarySize;
    refuseIfTooLarge(width, height, maxPixels);
    // Decoded to 8-bit RGBA.
    const decodedBytes = width * height * 4;
    return { width, height, metadata, icc: heif.icc ?? metadata?.icc, decodedBytes };
  }

  const metadata = await sharpHeader(container.decoderInput);
  const { width, height } = metadata;
  if (!width || !height) throw new ImageCorruptError();
  refuseIfTooLarge(width, height, maxPixels);
  // Palette images decode to RGB(A); everything else to its own bands.
  const bands = metadata.isPalette ? (metadata.hasAlpha ? 4 : 3) : (metadata.channels ?? 4);
  const decodedBytes = width * height * bands * (SAMPLE_BYTES[metadata.depth ?? 'uchar'] ?? 1);
  return { width, height, metadata, icc: metadata.icc, decodedBytes };
}
