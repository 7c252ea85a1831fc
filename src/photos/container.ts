// Checks an upload's container before any decoder sees it, and gives the bytes the decoder opens.
// Everything here reads structure only, in time and memory bounded by the file's size:
//   - JPEG: the frame must be one libjpeg decodes (8-bit; baseline, extended or progressive, Huffman or
//     arithmetic), and a progressive file may not have more scans than any camera or encoder writes,
//     nor take longer than MAX_DECODE_SECONDS by its predicted cost: a decoder walks the whole image
//     once per scan.
//   - PNG: the decoder gets only the chunks that make the pixels (pixelsOnlyPng), so no metadata chunk
//     is ever inflated without a bound.
//   - HEIF/AVIF: the items, the primary image and its colour profile (readHeifStructure); the decoder gets
//     the primary image and what it is made of, nothing else (primaryOnlyHeif).

import { ImageCorruptError, ImageTooComplexError, UnsupportedImageError } from '../errors.js';
import { primaryOnlyHeif, readHeifStructure, type HeifStructure } from './isobmff.js';
import { isSof, SOS, walkJpeg, type JpegLayout } from './jpeg-markers.js';
import { pixelsOnlyPng, walkPng, type PngLayout } from './png-chunks.js';
import type { SourceType } from './sniff.js';

/**
 * libjpeg's own tools take at most 100 scans in a scan script, and camera, phone and web encoders
 * write about 10 (mozjpeg up to ~20). A file of 100 MP with 2000 scans took 52 s of CPU to decode.
 */
export const MAX_JPEG_SCANS = 100;

/**
 * A progressive JPEG is decoded scan by scan into a buffer of all its coefficients before the first row
 * comes out, so libvips' time limit cannot stop it there: its cost is predicted instead, from the time
 * one scan of one pixel took here (a 100 MP photo of 100 scans: 6.2 s of CPU on a 2-core EPYC, `npm run
 * bench:hostile`), and a photo that would take longer than MAX_DECODE_SECONDS is refused before it starts.
 */
export const SECONDS_PER_SCAN_PIXEL = 6e-10;

export interface ContainerLimits {
  maxDecodeSeconds: number;
}

export interface Container {
  /** The bytes to decode: the upload itself, except for PNG and HEIF (only what makes the picture). */
  decoderInput: Buffer;
  jpeg?: JpegLayout & { progressive: boolean };
  png?: PngLayout;
  heif?: HeifStructure;
}

const PLAIN_JPEG = 'please export it as an ordinary JPEG';

function checkJpegFrame(layout: JpegLayout, limits: ContainerLimits): { progressive: boolean } {
  const frame = layout.segments.find((s) => isSof(s.marker));
  // Without a frame header nothing can be decoded: a cut-off or damaged file.
  if (!frame || frame.payload.length < 6) throw new ImageCorruptError();
  const process = frame.marker & 0x0f;
  const precision = frame.payload[0]!;
  if ([3, 7, 11, 15].includes(process)) throw new UnsupportedImageError(`This is a lossless JPEG, which the service cannot open: ${PLAIN_JPEG}`);
  if ([5, 6, 13, 14].includes(process)) throw new UnsupportedImageError(`This is a hierarchical JPEG, which the service cannot open: ${PLAIN_JPEG}`);
  if (precision !== 8) {
    throw new UnsupportedImageError(`This JPEG has ${precision}-bit samples; the service opens 8-bit JPEGs, as cameras and phones make them: ${PLAIN_JPEG}`);
  }
  const scans = layout.segments.filter((s) => s.marker === SOS).length;
  if (scans > MAX_JPEG_SCANS) {
    throw new ImageTooComplexError(`The photo is stored in ${scans} passes (scans), where cameras write about ten: ${PLAIN_JPEG}`);
  }
  const progressive = process === 2 || process === 10;
  const pixels = frame.payload.readUInt16BE(1) * frame.payload.readUInt16BE(3);
  if (progressive && scans * pixels * SECONDS_PER_SCAN_PIXEL > limits.maxDecodeSeconds) {
    throw new ImageTooComplexError(`The photo would take too long to open (${scans} passes over ${Math.round(pixels / 1e6)} megapixels): ${PLAIN_JPEG}`);
  }
  return { progressive };
}

export function checkContainer(input: Buffer, type: SourceType, limits: ContainerLimits): Container {
  switch (type) {
    case 'jpeg': {
      const layout = walkJpeg(input);
      return { decoderInput: input, jpeg: { ...layout, ...checkJpegFrame(layout, limits) } };
    }
    case 'png': {
      const png = walkPng(input);
      return { decoderInput: pixelsOnlyPng(input, png), png };
    }
    case 'heic':
    case 'avif': {
      const heif = readHeifStructure(input);
      return { decoderInput: primaryOnlyHeif(input, heif) ?? input, heif };
    }
    default:
      return { decoderInput: input };
  }
}
