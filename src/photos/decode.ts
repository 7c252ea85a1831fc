// Turns a recognised upload into a sharp pipeline input. sharp decodes JPEG, PNG, WebP, TIFF
// and AVIF itself; HEIC needs HEVC, which its prebuilt libvips lacks, so it goes through WASM.

import type { Sharp } from 'sharp';
import { ImageCorruptError, ImageTooLargeError } from '../errors.js';
import type { ImageHeader } from './dimensions.js';
import type { PhotoLimits } from './pipeline.js';
import { decodeHeic } from './heic-decoder.js';
import type { RgbaImage } from './heic-decoder.js';
import { openImage } from './sharp-setup.js';
import type { SourceType } from './sniff.js';

/** Returns a sharp instance over the source pixels; nothing is decoded yet for sharp formats. */
export async function openSource(input: Buffer, type: SourceType, header: ImageHeader, limits: PhotoLimits, signal?: AbortSignal): Promise<Sharp> {
  const { maxPixels } = limits;
  if (type !== 'heic') return openImage(input, maxPixels);

  // iPhones shoot in Display P3. Raw pixels carry no profile, and treating P3 values as sRGB
  // would dull reds, which matters for skin; so the profile travels with the pixels, in a TIFF
  // whose header the decoder leaves room for.
  const { icc } = header;
  const withProfile = icc !== undefined && icc.length > 0;
  const rgba = await decodeHeic(input, { headRoom: withProfile ? tiffPixelOffset(icc) : 0, maxSeconds: limits.maxDecodeSeconds, signal });
  if (rgba.width * rgba.height > maxPixels) throw new ImageTooLargeError('The decoded photo is larger than the pixel limit');
  if (rgba.data.length !== rgba.width * rgba.height * 4) throw new ImageCorruptError();
  if (withProfile) return openImage(rgbaToTiff(rgba, icc), maxPixels);
  return openImage(rgba.data, maxPixels, { raw: { width: rgba.width, height: rgba.height, channels: 4 } });
}

const TIFF_ENTRY_COUNT = 12;
const TIFF_IFD_OFFSET = 8;
const TIFF_BITS_OFFSET = TIFF_IFD_OFFSET + 2 + TIFF_ENTRY_COUNT * 12 + 4;
const TIFF_ICC_OFFSET = TIFF_BITS_OFFSET + 8;

/** Where rgbaToTiff puts the pixels: everything before is its header. */
export function tiffPixelOffset(icc: Buffer): number {
  return TIFF_ICC_OFFSET + icc.length + (icc.length % 2); // TIFF offsets are word-aligned
}

/**
 * Wraps RGBA pixels and an ICC profile in an uncompressed little-endian TIFF, the cheapest
 * container sharp reads with a colour profile attached (no pixel encoding). When the image was
 * decoded with tiffPixelOffset(icc) bytes of head room, the header is written there and the
 * pixels are not copied; otherwise header and pixels are copied into a new buffer.
 */
export function rgbaToTiff(image: RgbaImage, icc: Buffer): Buffer {
  const SHORT = 3;
  const LONG = 4;
  const UNDEFINED = 7;
  const pixelOffset = tiffPixelOffset(icc);
  const pixelBytes = image.width * image.height * 4;
  const inPlace = image.headRoom === pixelOffset && image.data.length === pixelBytes;
  const tiff = inPlace
    ? Buffer.from(image.data.buffer, image.data.byteOffset - pixelOffset, pixelOffset + pixelBytes)
    : Buffer.allocUnsafe(pixelOffset + pixelBytes);

  const head = tiff.subarray(0, pixelOffset).fill(0);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(TIFF_IFD_OFFSET, 4);
  head.writeUInt16LE(TIFF_ENTRY_COUNT, TIFF_IFD_OFFSET);
  let at = TIFF_IFD_OFFSET + 2;
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
  entry(258, SHORT, 4, TIFF_BITS_OFFSET); // BitsPerSample 8,8,8,8
  entry(259, SHORT, 1, 1); // Compression: none
  entry(262, SHORT, 1, 2); // PhotometricInterpretation: RGB
  entry(273, LONG, 1, pixelOffset); // StripOffsets
  entry(277, SHORT, 1, 4); // SamplesPerPixel
  entry(278, LONG, 1, image.height); // RowsPerStrip: one strip
  entry(279, LONG, 1, pixelBytes); // StripByteCounts
  entry(284, SHORT, 1, 1); // PlanarConfiguration: chunky
  entry(338, SHORT, 1, 2); // ExtraSamples: unassociated alpha
  entry(34675, UNDEFINED, icc.length, TIFF_ICC_OFFSET); // ICC profile
  head.writeUInt32LE(0, at); // no next IFD
  for (let i = 0; i < 4; i++) head.writeUInt16LE(8, TIFF_BITS_OFFSET + i * 2);
  icc.copy(head, TIFF_ICC_OFFSET);
  if (!inPlace) image.data.copy(tiff, pixelOffset, 0, pixelBytes);
  return tiff;
}
