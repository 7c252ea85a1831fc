// Reads the structure of an ISO-BMFF image file (HEIF/HEIC, AVIF) before any decoder sees it: every
// item's `ispe` size (so that no item over the pixel limit reaches the decoder), which item is the
// primary image, its colour profile, whether it has a thumbnail, and whether the file holds only an
// image sequence (a track, no still image). A box that claims more bytes than there are is what a
// cut-off upload looks like, and is refused as corrupt.
//
// primaryOnlyHeif() then writes the file the decoder gets: the primary image and the items it is made of
// (grid tiles, overlay layers, the source of a transformed copy, its alpha plane), nothing else. Metadata
// items never reach the decoder, and a decoder that refuses a whole file for a fault in an item nobody
// asked for (libheif and an overlay that places one image twice, HEIF conformance C021) gets a file
// without that item.

import { ImageCorruptError, UnsupportedImageError } from '../errors.js';

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
    if (size < payload - offset || offset + size > end) throw new ImageCorruptError();
    yield { type, start: offset, payload, end: offset + size };
    offset += size;
  }
}

function child(input: Buffer, parent: Box, type: string, skip = 0): Box | undefined {
  for (const box of boxesIn(input, parent.payload + skip, parent.end)) if (box.type === type) return box;
  return undefined;
}

/** A bounds-checked reader over one box's payload. */
class Reader {
  constructor(
    private readonly input: Buffer,
    public at: number,
    private readonly end: number,
  ) {}

  private need(bytes: number): void {
    if (this.at + bytes > this.end) throw new ImageCorruptError();
  }
  u8(): number {
    this.need(1);
    return this.input[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.input.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.input.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  fourcc(): string {
    this.need(4);
    const v = this.input.toString('latin1', this.at, this.at + 4);
    this.at += 4;
    return v;
  }
  /** Version and flags of a full box. */
  fullBox(): { version: number; flags: number } {
    const word = this.u32();
    return { version: word >>> 24, flags: word & 0xffffff };
  }
  rest(): Buffer {
    return this.input.subarray(this.at, this.end);
  }
}

export interface HeifItem {
  id: number;
  /** hvc1 (HEVC), av01 (AV1), grid, iovl (overlay), iden (a transformed copy), Exif, mime... */
  type: string;
  hidden: boolean;
  /** The item's whole `infe` box. */
  infe: Buffer;
}

export interface HeifReference {
  type: string;
  from: number;
  to: number[];
}

/** Where an item's bytes are: extents in the file (construction method 0) or in the `idat` box (1). */
interface ItemLocation {
  method: number;
  extents: { offset: number; length: number }[];
}

/** What primaryOnlyHeif() needs to write a file of its own. */
interface HeifParts {
  ftyp: Buffer;
  hdlr: Buffer | null;
  pitm: Buffer;
  ipco: Buffer | null;
  ipma: { version: number; flags: number; entries: Map<number, Buffer> };
  /** Null when an item's bytes are somewhere this reader does not follow (another file, a construction it does not know). */
  locations: Map<number, ItemLocation> | null;
  idat: { start: number; end: number } | null;
}

export interface HeifStructure {
  /** Width and height of every image item, from their `ispe` properties (tiles included). */
  itemSizes: { width: number; height: number }[];
  /** True when an item references another as its thumbnail (`iref`/`thmb`). */
  hasThumbnail: boolean;
  items: HeifItem[];
  /** The primary image item (`pitm`). */
  primary: HeifItem;
  /** The primary image's size before its transforms (rotation, mirror, clean aperture), from its `ispe`. */
  primarySize: { width: number; height: number } | null;
  /** The primary image's ICC profile (`colr` of type prof/rICC), or that of the first image it is made from. */
  icc: Buffer | null;
  references: HeifReference[];
  parts: HeifParts;
}

const SEQUENCE_ONLY = 'This HEIF file holds a moving picture (an image sequence or Live Photo video) and no still photo: please send the still photo instead';

/** Walks the top-level boxes and the `meta` box; throws ImageCorruptError on truncation or a missing primary image. */
export function readHeifStructure(input: Buffer): HeifStructure {
  let meta: Box | undefined;
  let ftyp: Box | undefined;
  let hasTracks = false;
  for (const box of boxesIn(input, 0, input.length)) {
    if (box.type === 'meta' && !meta) meta = box;
    if (box.type === 'ftyp' && !ftyp) ftyp = box;
    if (box.type === 'moov') hasTracks = true;
  }
  if (!meta) {
    if (hasTracks) throw new UnsupportedImageError(SEQUENCE_ONLY);
    throw new ImageCorruptError();
  }

  const pitmBox = child(input, meta, 'pitm', FULL_BOX_HEADER);
  if (!pitmBox) {
    if (hasTracks) throw new UnsupportedImageError(SEQUENCE_ONLY);
    throw new ImageCorruptError();
  }
  const pitm = new Reader(input, pitmBox.payload, pitmBox.end);
  const primaryId = pitm.fullBox().version === 0 ? pitm.u16() : pitm.u32();

  const items = readItems(input, meta);
  const primary = items.find((item) => item.id === primaryId);
  if (!primary) throw new ImageCorruptError();

  const { properties, associations, ipma } = readProperties(input, meta);
  const itemSizes: { width: number; height: number }[] = [];
  for (const property of properties) {
    if (property.type !== 'ispe') continue;
    const r = new Reader(input, property.payload, property.end);
    r.fullBox();
    itemSizes.push({ width: r.u32(), height: r.u32() });
  }

  const references = readReferences(input, meta);
  const propertiesOf = (id: number) => (associations.get(id) ?? []).map((index) => properties[index - 1]).filter((p): p is Box => p !== undefined);
  const sizeOf = (id: number) => {
    const ispe = propertiesOf(id).find((p) => p.type === 'ispe');
    if (!ispe) return null;
    const r = new Reader(input, ispe.payload, ispe.end);
    r.fullBox();
    return { width: r.u32(), height: r.u32() };
  };
  const iccOf = (id: number): Buffer | null => {
    for (const colr of propertiesOf(id).filter((p) => p.type === 'colr')) {
      const r = new Reader(input, colr.payload, colr.end);
      const kind = r.fourcc();
      if (kind === 'prof' || kind === 'rICC') return r.rest();
    }
    return null;
  };
  // A grid or overlay often carries its colour on the images it is made of (`dimg`).
  const made = references.filter((ref) => ref.type === 'dimg' && ref.from === primaryId).flatMap((ref) => ref.to);
  const icc = iccOf(primaryId) ?? (made.length > 0 ? iccOf(made[0]!) : null);

  const raw = (box: Box | undefined) => (box ? input.subarray(box.start, box.end) : null);
  const iprp = child(input, meta, 'iprp', FULL_BOX_HEADER);
  const idat = child(input, meta, 'idat', FULL_BOX_HEADER);
  return {
    itemSizes,
    hasThumbnail: references.some((ref) => ref.type === 'thmb'),
    items,
    primary,
    primarySize: sizeOf(primaryId),
    icc,
    references,
    parts: {
      ftyp: raw(ftyp) ?? Buffer.alloc(0),
      hdlr: raw(child(input, meta, 'hdlr', FULL_BOX_HEADER)),
      pitm: raw(pitmBox)!,
      ipco: raw(iprp && child(input, iprp, 'ipco')),
      ipma,
      locations: readLocations(input, meta),
      idat: idat ? { start: idat.payload, end: idat.end } : null,
    },
  };
}

function readItems(input: Buffer, meta: Box): HeifItem[] {
  const iinf = child(input, meta, 'iinf', FULL_BOX_HEADER);
  if (!iinf) throw new ImageCorruptError();
  const head = new Reader(input, iinf.payload, iinf.end);
  const count = head.fullBox().version === 0 ? head.u16() : head.u32();
  const items: HeifItem[] = [];
  for (const infe of boxesIn(input, head.at, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const r = new Reader(input, infe.payload, infe.end);
    const { version, flags } = r.fullBox();
    // Versions 0 and 1 predate item types: they describe no image.
    if (version < 2) continue;
    const id = version === 2 ? r.u16() : r.u32();
    r.u16(); // item_protection_index
    items.push({ id, type: r.fourcc(), hidden: (flags & 1) === 1, infe: input.subarray(infe.start, infe.end) });
    if (items.length >= count) break;
  }
  return items;
}

function readProperties(input: Buffer, meta: Box): { properties: Box[]; associations: Map<number, number[]>; ipma: HeifParts['ipma'] } {
  const iprp = child(input, meta, 'iprp', FULL_BOX_HEADER);
  const ipco = iprp && child(input, iprp, 'ipco');
  const properties = ipco ? [...boxesIn(input, ipco.payload, ipco.end)] : [];
  const associations = new Map<number, number[]>();
  const ipmaBox = iprp && child(input, iprp, 'ipma');
  const ipma: HeifParts['ipma'] = { version: 0, flags: 0, entries: new Map() };
  if (ipmaBox) {
    const r = new Reader(input, ipmaBox.payload, ipmaBox.end);
    const { version, flags } = r.fullBox();
    Object.assign(ipma, { version, flags });
    const entries = r.u32();
    for (let i = 0; i < entries; i++) {
      const start = r.at;
      const id = version < 1 ? r.u16() : r.u32();
      const count = r.u8();
      const indexes: number[] = [];
      for (let j = 0; j < count; j++) indexes.push(flags & 1 ? r.u16() & 0x7fff : r.u8() & 0x7f);
      associations.set(id, indexes);
      ipma.entries.set(id, input.subarray(start, r.at));
    }
  }
  return { properties, associations, ipma };
}

/** The `iloc` box: each item's construction method and extents (versions 0 to 2). */
function readLocations(input: Buffer, meta: Box): Map<number, ItemLocation> | null {
  const iloc = child(input, meta, 'iloc', FULL_BOX_HEADER);
  if (!iloc) return new Map();
  const r = new Reader(input, iloc.payload, iloc.end);
  const { version } = r.fullBox();
  const sizes = r.u8();
  const more = r.u8();
  const [offsetSize, lengthSize, baseOffsetSize] = [sizes >> 4, sizes & 15, more >> 4];
  const indexSize = version >= 1 ? more & 15 : 0;
  const read = (bytes: number): number => {
    if (bytes === 0) return 0;
    if (bytes === 4) return r.u32();
    if (bytes === 8) {
      const high = r.u32();
      const low = r.u32();
      return high * 2 ** 32 + low;
    }
    throw new ImageCorruptError();
  };
  const count = version < 2 ? r.u16() : r.u32();
  const locations = new Map<number, ItemLocation>();
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? r.u16() : r.u32();
    const method = version >= 1 ? r.u16() & 15 : 0;
    const dataReference = r.u16();
    const base = read(baseOffsetSize);
    const extentCount = r.u16();
    const extents: ItemLocation['extents'] = [];
    for (let e = 0; e < extentCount; e++) {
      read(indexSize);
      extents.push({ offset: base + read(offsetSize), length: read(lengthSize) });
    }
    // Data in another file, or built by a construction this reader does not follow (item offsets).
    if (dataReference !== 0 || method > 1) return null;
    locations.set(id, { method, extents });
  }
  return locations;
}

function readReferences(input: Buffer, meta: Box): HeifReference[] {
  const iref = child(input, meta, 'iref', FULL_BOX_HEADER);
  if (!iref) return [];
  const head = new Reader(input, iref.payload, iref.end);
  const wide = head.fullBox().version !== 0;
  const references: HeifReference[] = [];
  for (const box of boxesIn(input, head.at, iref.end)) {
    const r = new Reader(input, box.payload, box.end);
    const from = wide ? r.u32() : r.u16();
    const count = r.u16();
    const to: number[] = [];
    for (let i = 0; i < count; i++) to.push(wide ? r.u32() : r.u16());
    references.push({ type: box.type, from, to });
  }
  return references;
}

function writeBox(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function writeFullBox(type: string, version: number, flags: number, ...children: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version << 24) | flags) >>> 0);
  return writeBox(type, head, ...children);
}

const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};

/**
 * The items the primary image is made of: itself, what it derives from (`dimg`: grid tiles, overlay
 * layers, the source of an `iden`), and auxiliary images of any of those (`auxl`: alpha planes),
 * followed to the end.
 */
function itemsOfPrimary(structure: HeifStructure): Set<number> {
  const needed = new Set([structure.primary.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const ref of structure.references) {
      const add = (id: number) => {
        if (!needed.has(id)) {
          needed.add(id);
          grew = true;
        }
      };
      if (ref.type === 'dimg' && needed.has(ref.from)) ref.to.forEach(add);
      if (ref.type === 'auxl' && ref.to.some((id) => needed.has(id))) add(ref.from);
    }
  }
  return needed;
}

/**
 * A HEIF file with only the primary image and what it is made of (see the top of this file), the
 * item data moved into one `mdat`. Null when the file is not one this writer can take apart safely (an
 * item's bytes in another file or built by an unknown construction): the decoder then gets the upload.
 */
export function primaryOnlyHeif(input: Buffer, structure: HeifStructure): Buffer | null {
  const { parts } = structure;
  if (!parts.locations || !parts.ipco) return null;
  const needed = itemsOfPrimary(structure);
  const items = structure.items.filter((item) => needed.has(item.id));
  if (items.length !== needed.size) return null; // a reference to an item that is not there: let the decoder say so

  const data: { id: number; bytes: Buffer }[] = [];
  for (const item of items) {
    const location = parts.locations.get(item.id);
    if (!location) continue; // derived items such as `iden` have no data of their own
    const base = location.method === 1 ? parts.idat : { start: 0, end: input.length };
    if (!base) return null;
    const pieces: Buffer[] = [];
    for (const { offset, length } of location.extents) {
      const start = base.start + offset;
      // Length 0 means "to the end" (of the file or of the idat box).
      const end = length === 0 ? base.end : start + length;
      if (end > base.end || start > end) return null;
      pieces.push(input.subarray(start, end));
    }
    data.push({ id: item.id, bytes: Buffer.concat(pieces) });
  }

  const iinf = writeFullBox('iinf', 0, 0, u16(items.length), ...items.map((item) => item.infe));
  const references = structure.references.filter((ref) => needed.has(ref.from) && ref.to.every((id) => needed.has(id)));
  const wide = [...needed].some((id) => id > 0xffff);
  const id = wide ? u32 : u16;
  const iref = references.length > 0 ? writeFullBox('iref', wide ? 1 : 0, 0, ...references.map((ref) => writeBox(ref.type, id(ref.from), u16(ref.to.length), ...ref.to.map(id)))) : Buffer.alloc(0);
  const ipmaEntries = items.map((item) => parts.ipma.entries.get(item.id)).filter((entry): entry is Buffer => entry !== undefined);
  const ipma = writeFullBox('ipma', parts.ipma.version, parts.ipma.flags, u32(ipmaEntries.length), ...ipmaEntries);
  const iprp = writeBox('iprp', parts.ipco, ipma);
  // iloc version 2: 32-bit item ids and a 32-bit count, 4-byte offsets and lengths into this file.
  const iloc = (dataStart: number) => {
    let offset = dataStart;
    const entries = data.map(({ id: itemId, bytes }) => {
      const entry = Buffer.concat([u32(itemId), u16(0), u16(0), u16(1), u32(offset), u32(bytes.length)]);
      offset += bytes.length;
      return entry;
    });
    return writeFullBox('iloc', 2, 0, Buffer.from([0x44, 0x00]), u32(data.length), ...entries);
  };
  const meta = (ilocBox: Buffer) => writeFullBox('meta', 0, 0, parts.hdlr ?? Buffer.alloc(0), parts.pitm, iinf, iref, iprp, ilocBox);
  // The offsets depend on the size of the boxes before the data, which does not depend on their values.
  const dataStart = parts.ftyp.length + meta(iloc(0)).length + 8;
  if (dataStart + data.reduce((n, d) => n + d.bytes.length, 0) > 0xffffffff) return null;
  return Buffer.concat([parts.ftyp, meta(iloc(dataStart)), writeBox('mdat', ...data.map((d) => d.bytes))]);
}
