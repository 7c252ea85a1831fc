// A PNG's chunks, read before any decoder sees the file. Metadata chunks may hold zlib streams
// (iCCP, zTXt, iTXt) that a 1 MB file can inflate to gigabytes, and decoders and metadata readers
// inflate them on the way: so the decoder gets a copy holding only the chunks that make the pixels
// and their colours, and the one compressed chunk kept (the ICC profile) is checked with a bounded inflate.
import zlib from 'node:zlib';
import { ImageCorruptError } from '../errors.js';

/** What makes the picture: its header, palette, transparency, colour description and data. */
const KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'cICP', 'iCCP', 'sBIT', 'IDAT', 'IEND']);

/** Real ICC profiles are a few KB (a Display P3 profile is under 1 KB); printer profiles reach a few MB. */
export const MAX_ICC_BYTES = 4 * 1024 * 1024;

export interface PngChunk {
  type: string;
  /** The chunk's data, without length, type and CRC. */
  data: Buffer;
  /** The whole chunk: length, type, data, CRC. */
  raw: Buffer;
}

export interface PngLayout {
  chunks: PngChunk[];
  /** Bytes after IEND. */
  trailingBytes: number;
}

/** Walks the chunks up to IEND; a chunk that runs past the end of the file is a cut-off upload. */
export function walkPng(input: Buffer): PngLayout {
  const chunks: PngChunk[] = [];
  let pos = 8;
  while (pos + 12 <= input.length) {
    const length = input.readUInt32BE(pos);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > input.length) throw new ImageCorruptError();
    const type = input.toString('latin1', pos + 4, pos + 8);
    chunks.push({ type, data: input.subarray(pos + 8, pos + 8 + length), raw: input.subarray(pos, end) });
    pos = end;
    if (type === 'IEND') return { chunks, trailingBytes: input.length - pos };
  }
  throw new ImageCorruptError();
}

/** Inflates a zlib stream, refusing to produce more than `maxBytes` (it stops as soon as it would). */
export function inflateBounded(data: Buffer, maxBytes: number): Buffer | null {
  try {
    return zlib.inflateSync(data, { maxOutputLength: maxBytes });
  } catch {
    return null; // over the bound, or not a zlib stream
  }
}

/** The compressed part of an iCCP chunk: after the profile name, its NUL and the compression method. */
function iccpStream(data: Buffer): Buffer {
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79 || data[nul + 1] !== 0) throw new ImageCorruptError('The photo\'s colour profile is damaged: please send it again');
  return data.subarray(nul + 2);
}

/**
 * The PNG as the decoder should see it: signature and the kept chunks, nothing after IEND. Throws
 * ImageCorruptError when the ICC profile does not inflate within MAX_ICC_BYTES (no real profile is
 * that large, and its colours cannot be trusted without it).
 */
export function pixelsOnlyPng(input: Buffer, layout: PngLayout = walkPng(input)): Buffer {
  const kept: Buffer[] = [input.subarray(0, 8)];
  for (const chunk of layout.chunks) {
    if (!KEPT.has(chunk.type)) continue;
    if (chunk.type === 'iCCP' && inflateBounded(iccpStream(chunk.data), MAX_ICC_BYTES) === null) {
      throw new ImageCorruptError('The photo\'s colour profile is damaged or implausibly large: please export it again');
    }
    kept.push(chunk.raw);
  }
  return Buffer.concat(kept);
}
