// Minimal ISO-BMFF (HEIF/AVIF) box reader: enough to notice truncation, read every item's
// `ispe` size before any decoder sees the file, and spot embedded thumbnails.

import { ImageCorruptError } from '../errors.js';

interface Box {
  type: string;
  start: number;
  /** Offset of the payload, after the size/type header. */
  payload: number;
  end: number;
}

const FULL_BOX_HEADER = 4; // version (1 byte) + flags (3 bytes)

function* boxesIn(input: Buffer, start: number, end: number): Generator<Box> {
  let offset = start;
  while (offset < end) {
    if (end - offset < 8) throw new ImageCorruptError();
    let size = input.readUInt32BE(offset);
    const type = input.toString('latin1', offset + 4, offset + 8);
    let payload = offset + 8;
    if (size === 1) {
      if (end - offset < 16) throw new ImageCorruptError();
      const large = input.readBigUInt64BE(offset + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new ImageCorruptError();
      size = Number(large);
      payload = offset + 16;
    } else if (size === 0) {
      size = end - offset; // "extends to the end of the enclosing container"
    }
    // A box that claims more bytes than there are is what a cut-off upload looks like.
    if (size < payload - offset || offset + size > end) throw new ImageCorruptError();
    yield { type, start: offset, payload, end: offset + size };
    offset += size;
  }
}

function child(input: Buffer, parent: Box, type: string, skip = 0): Box | undefined {
  for (const box of boxesIn(input, parent.payload + skip, parent.end)) if (box.type === type) return box;
  return undefined;
}

export interface HeifStructure {
  /** Width and height of every image item, from their `ispe` properties (tiles included). */
  itemSizes: { width: number; height: number }[];
  /** True when an item references another as its thumbnail (`iref`/`thmb`). */
  hasThumbnail: boolean;
}

/** Walks the top-level boxes (throwing ImageCorruptError on truncation) and the `meta` box. */
export function readHeifStructure(input: Buffer): HeifStructure {
  const structure: HeifStructure = { itemSizes: [], hasThumbnail: false };
  let meta: Box | undefined;
  for (const box of boxesIn(input, 0, input.length)) if (box.type === 'meta' && !meta) meta = box;
  if (!meta) throw new ImageCorruptError();

  const iprp = child(input, meta, 'iprp', FULL_BOX_HEADER);
  const ipco = iprp && child(input, iprp, 'ipco');
  if (ipco) {
    for (const box of boxesIn(input, ipco.payload, ipco.end)) {
      if (box.type !== 'ispe') continue;
      const at = box.payload + FULL_BOX_HEADER;
      if (at + 8 > box.end) throw new ImageCorruptError();
      structure.itemSizes.push({ width: input.readUInt32BE(at), height: input.readUInt32BE(at + 4) });
    }
  }
  const iref = child(input, meta, 'iref', FULL_BOX_HEADER);
  if (iref) {
    for (const box of boxesIn(input, iref.payload + FULL_BOX_HEADER, iref.end)) {
      if (box.type === 'thmb') structure.hasThumbnail = true;
    }
  }
  return structure;
}
