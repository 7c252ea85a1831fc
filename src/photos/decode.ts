// Turns a recognised upload into a sharp pipeline input. sharp decodes JPEG, PNG, WebP, TIFF
// and AVIF itself; HEIC needs HEVC, which its prebuilt libvips lacks, so it goes through WASM.

import type { Sharp } from 'sharp';
import { ImageCorruptError, ImageTooLargeError } from '../errors.js';
import type { ImageHeader } from './dimensions.js';
import { decodeHeic } from './heic-decoder.js';
import type { RgbaImage } from './heic-decoder.js';
import { openImage } from './sharp-setup.js';
import type { SourceType } from './sniff.js';

/** Returns a sharp instance over the source pixels; nothing is decoded yet for sharp formats. */
export async function openSource(input: Buffer, type: SourceType, header: ImageHeader, maxPixels: number): Promise<Sharp> {
  if (type !== 'heic') return openImage(input, maxPixels);

  const rgba = await decodeHeic(input);
  if (rgba.width * rgba.height > maxPixels) throw new ImageTooLargeError('The decoded photo is larger than the pixel limit');
  if (rgba.data.length !== rgba.width * rgba.height * 4) throw new ImageCorruptError();
  // iPhones shoot in Display P3. Raw pixels carry no profile, and treating P3 values as sRGB
  // would dull reds, which matters for skin; so the profile travels with the pixels.
  const { icc } = header.metadata;
  if (icc && icc.length > 0) return openImage(rgbaToTiff(rgba, icc), maxPixels);
  return openImage(rgba.data, maxPixels, { raw: { width: rgba.width, height: rgba.height, channels: 4 } });
}

/**
 * Wraps RGBA pixels and an ICC profile in an uncompressed little-endian TIFF, the cheapest
 * container sharp reads with a colour profile attached (no pixel encoding, one copy).
 */
export function rgbaToTiff(image: RgbaImage, icc: Buffer): Buffer {
  const SHORT = 3;
  const LONG = 4;
  const UNDEFINED = 7;
  const entryCount = 12;
  const ifdOffset = 8;
  const bitsOffset = ifdOffset + 2 + entryCount * 12 + 4;
  const iccOffset = bitsOffset + 8;
  const pixelOffset = iccOffset + icc.length + (icc.length % 2); // TIFF offsets are word-aligned
  const pixelBytes = image.width * image.height * 4;

  const head = Buffer.alloc(pixelOffset);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(ifdOffset, 4);
  head.writeUInt16LE(entryCount, ifdOffset);
  let at = ifdOffset + 2;
  const entry = (tag: number, type: number, count: number, value: number): void => {
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (type === SHORT && count === 1) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value, at + 8);
    at += 12;
  };
  // Tags must be in ascending order.
  entry(256, LONG, 1, image.width); // ImageWidth
  entry(257, LONG, 1, image.height); // ImageLength
  entry(258, SHORT, 4, bitsOffset); // BitsPerSample 8,8,8,8
  entry(259, SHORT, 1, 1); // Compression: none
  entry(262, SHORT, 1, 2); // PhotometricInterpretation: RGB
  entry(273, LONG, 1, pixelOffset); // StripOffsets
  entry(277, SHORT, 1, 4); // SamplesPerPixel
  entry(278, LONG, 1, image.height); // RowsPerStrip: one strip
  entry(279, LONG, 1, pixelBytes); // StripByteCounts
  entry(284, SHORT, 1, 1); // PlanarConfiguration: chunky
  entry(338, SHORT, 1, 2); // ExtraSamples: unassociated alpha
  entry(34675, UNDEFINED, icc.length, iccOffset); // ICC profile
  head.writeUInt32LE(0, at); // no next IFD
  for (let i = 0; i < 4; i++) head.writeUInt16LE(8, bitsOffset + i * 2);
  icc.copy(head, iccOffset);
  return Buffer.concat([head, image.data.subarray(0, pixelBytes)], pixelOffset + pixelBytes);
}
