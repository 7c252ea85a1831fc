// Checks OUR encoder output before anything is stored: only pixels may remain. A failure is
// an internal error (the caller stores nothing and answers 500), never the uploader's fault.

import exifr from 'exifr';
import { isSof, SOS, walkJpeg } from './jpeg-markers.js';
import { openOwnOutput } from './sharp-setup.js';

const DQT = 0xdb;
const DHT = 0xc4;
const DRI = 0xdd;
const APP0 = 0xe0;

export class VerificationError extends Error {
  constructor(detail: string) {
    super(`Sanitized output failed verification: ${detail}`);
    this.name = 'VerificationError';
  }
}

/** The byte-level rule: SOI, one thumbnail-less JFIF APP0, tables, frame, scans, EOI, nothing after. */
export function verifyJpegStructure(output: Buffer): void {
  const layout = walkJpeg(output);
  if (layout.eoi === null) throw new VerificationError(layout.problem ?? 'no EOI');
  if (layout.eoi + 2 !== output.length) throw new VerificationError(`${output.length - layout.eoi - 2} bytes after EOI`);

  let jfifSeen = false;
  let sofSeen = false;
  let sosSeen = false;
  for (const { marker, offset, payload } of layout.segments) {
    const where = `marker 0x${marker.toString(16)} at ${offset}`;
    if (marker === APP0) {
      // Exactly the 14-byte JFIF header: identifier, version, units, densities, and a 0x0 thumbnail.
      const isPlainJfif = payload.length === 14 && payload.toString('latin1', 0, 5) === 'JFIF\0' && payload[12] === 0 && payload[13] === 0;
      if (!isPlainJfif || jfifSeen) throw new VerificationError(`${where}: only one thumbnail-less JFIF APP0 is allowed`);
      jfifSeen = true;
    } else if (isSof(marker)) {
      if (sofSeen) throw new VerificationError(`${where}: second frame`);
      sofSeen = true;
    } else if (marker === SOS) {
      if (!sofSeen) throw new VerificationError(`${where}: scan before frame`);
      sosSeen = true;
    } else if (marker !== DQT && marker !== DHT && marker !== DRI) {
      throw new VerificationError(`${where} is not allowed`);
    }
  }
  if (!sofSeen || !sosSeen) throw new VerificationError('no frame or no scan');
}

/** Full check of one output image: the byte walk, then two independent metadata parsers. */
export async function verifySanitizedJpeg(output: Buffer): Promise<void> {
  verifyJpegStructure(output);

  const metadata = await openOwnOutput(output).metadata();
  if (metadata.format !== 'jpeg') throw new VerificationError(`format is ${metadata.format}`);
  const leftovers = [
    metadata.exif && 'exif',
    metadata.icc && 'icc',
    metadata.hasProfile && 'icc profile',
    metadata.iptc && 'iptc',
    metadata.xmp && 'xmp',
    metadata.comments?.length && 'comments',
    metadata.orientation !== undefined && 'orientation',
  ].filter(Boolean);
  if (leftovers.length > 0) throw new VerificationError(`sharp found ${leftovers.join(', ')}`);

  let parsed: unknown;
  try {
    parsed = await exifr.parse(output, { tiff: true, xmp: true, iptc: true, icc: true, jfif: false, mergeOutput: false });
  } catch (error) {
    throw new VerificationError(`exifr could not parse the output (${(error as Error).message})`);
  }
  if (parsed !== undefined && parsed !== null && Object.keys(parsed).length > 0) {
    throw new VerificationError(`exifr found ${Object.keys(parsed).join(', ')}`);
  }
}
