// Builds HEIF files for tests from the HEVC tiles of the shared iPhone photo: grids whose first tile is
// listed before the primary image, rotations, mirrors and clean apertures, overlays, derived copies, and
// files that hold only an image sequence. The structures follow ISO/IEC 23008-12 (HEIF) and 14496-12.
import { fixture } from './images.js';

export function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

export function fullBox(type: string, version: number, flags: number, ...children: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version << 24) | flags) >>> 0);
  return box(type, head, ...children);
}

const u8 = (v: number) => Buffer.from([v]);
const u16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
};
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};

export const ispe = (width: number, height: number) => fullBox('ispe', 0, 0, u32(width), u32(height));
/** Rotation anticlockwise by quarter turns. */
export const irot = (quarterTurns: number) => box('irot', u8(quarterTurns & 3));
/** Mirror about a vertical axis (0: left and right swap) or a horizontal one (1: top and bottom swap). */
export const imir = (axis: 0 | 1) => box('imir', u8(axis));
/** Clean aperture: a centred crop to width x height (whole-number fractions). */
export const clap = (width: number, height: number) => box('clap', u32(width), u32(1), u32(height), u32(1), u32(0), u32(1), u32(0), u32(1));
export const colrIcc = (icc: Buffer) => box('colr', Buffer.from('prof', 'latin1'), icc);

export interface HeifItemSpec {
  id: number;
  type: 'hvc1' | 'grid' | 'iovl' | 'iden' | 'Exif';
  data?: Buffer;
  hidden?: boolean;
  /** Property boxes (hvcC, ispe, irot...), in the order they should apply. */
  properties?: Buffer[];
}

export interface HeifSpec {
  majorBrand?: string;
  items: HeifItemSpec[];
  primary: number;
  references?: { type: 'dimg' | 'thmb' | 'auxl' | 'cdsc'; from: number; to: number[] }[];
}

/** A whole HEIF file: ftyp, meta (hdlr, pitm, iinf, iref, iprp, iloc) and an mdat with every item's data. */
export function buildHeif(spec: HeifSpec): Buffer {
  const brand = spec.majorBrand ?? 'heic';
  const ftyp = box('ftyp', Buffer.from(`${brand}\0\0\0\0mif1heic`, 'latin1'));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from('\0'));
  const pitm = fullBox('pitm', 0, 0, u16(spec.primary));
  const iinf = fullBox(
    'iinf',
    0,
    0,
    u16(spec.items.length),
    ...spec.items.map((item) => fullBox('infe', 2, item.hidden ? 1 : 0, u16(item.id), u16(0), Buffer.from(item.type, 'latin1'), Buffer.from('\0'))),
  );
  const iref = spec.references?.length
    ? fullBox('iref', 0, 0, ...spec.references.map((ref) => box(ref.type, u16(ref.from), u16(ref.to.length), ...ref.to.map(u16))))
    : Buffer.alloc(0);

  // Identical property boxes are stored once and shared, as encoders do.
  const properties: Buffer[] = [];
  const indexOf = (property: Buffer) => {
    let at = properties.findIndex((p) => p.equals(property));
    if (at < 0) at = properties.push(property) - 1;
    return at + 1;
  };
  const associations = spec.items.filter((item) => item.properties?.length).map((item) => ({ id: item.id, indexes: item.properties!.map(indexOf) }));
  const ipma = fullBox('ipma', 0, 0, u32(associations.length), ...associations.map((a) => Buffer.concat([u16(a.id), u8(a.indexes.length), ...a.indexes.map((i) => u8(i))])));
  const iprp = box('iprp', box('ipco', ...properties), ipma);

  const withData = spec.items.filter((item) => item.data);
  const iloc = (mdatDataStart: number) => {
    let offset = mdatDataStart;
    const entries = withData.map((item) => {
      const entry = Buffer.concat([u16(item.id), u16(0), u16(1), u32(offset), u32(item.data!.length)]);
      offset += item.data!.length;
      return entry;
    });
    return fullBox('iloc', 0, 0, u8(0x44), u8(0x00), u16(withData.length), ...entries);
  };
  const metaWith = (ilocBox: Buffer) => fullBox('meta', 0, 0, hdlr, pitm, iinf, iref, iprp, ilocBox);
  // The offsets depend on the meta box's size, which does not depend on their values.
  const metaSize = metaWith(iloc(0)).length;
  const mdatDataStart = ftyp.length + metaSize + 8;
  const meta = metaWith(iloc(mdatDataStart));
  const mdat = box('mdat', ...withData.map((item) => item.data!));
  return Buffer.concat([ftyp, meta, mdat]);
}

/** A grid's data: rows x columns of tiles, cut to width x height. */
export function gridData(rows: number, columns: number, width: number, height: number): Buffer {
  return Buffer.concat([u8(0), u8(0), u8(rows - 1), u8(columns - 1), u16(width), u16(height)]);
}

/** An overlay's data: a canvas of width x height filled with opaque white, and where each input goes. */
export function overlayData(width: number, height: number, offsets: [number, number][]): Buffer {
  return Buffer.concat([u8(0), u8(0), u16(0xffff), u16(0xffff), u16(0xffff), u16(0xffff), u16(width), u16(height), ...offsets.flatMap(([x, y]) => [u16(x), u16(y)])]);
}

/** A file that holds only an image sequence: a `moov` track and its `mdat`, no `meta`. */
export function sequenceOnly(): Buffer {
  const ftyp = box('ftyp', Buffer.from('msf1\0\0\0\0msf1hevciso8', 'latin1'));
  const mvhd = fullBox('mvhd', 0, 0, Buffer.alloc(96));
  const trak = box('trak', fullBox('tkhd', 0, 3, Buffer.alloc(80)));
  return Buffer.concat([ftyp, box('moov', mvhd, trak), box('mdat', Buffer.alloc(256, 7))]);
}

export interface HeicParts {
  /** The raw hvcC property box the tiles share. */
  hvcC: Buffer;
  /** The raw colr property box (the iPhone's Display P3 ICC profile). */
  colr: Buffer;
  /** The HEVC data of each 512x512 tile, in item order. */
  tiles: Buffer[];
  tileSize: number;
}

/** Takes the shared iPhone HEIC apart: its HEVC configuration, colour profile and tile data. */
export function iphoneHeicParts(): HeicParts {
  const file = fixture('real/IMG_5195.HEIC');
  const children = (start: number, end: number) => {
    const list: { type: string; payload: number; end: number }[] = [];
    for (let at = start; at < end; ) {
      const size = file.readUInt32BE(at);
      list.push({ type: file.toString('latin1', at + 4, at + 8), payload: at + 8, end: at + size });
      at += size;
    }
    return list;
  };
  const meta = children(0, file.length).find((b) => b.type === 'meta')!;
  const inMeta = children(meta.payload + 4, meta.end);
  const ipco = children(inMeta.find((b) => b.type === 'iprp')!.payload, inMeta.find((b) => b.type === 'iprp')!.end).find((b) => b.type === 'ipco')!;
  const props = children(ipco.payload, ipco.end);
  const raw = (b: { payload: number; end: number }) => file.subarray(b.payload - 8, b.end);
  const hvcC = raw(props.find((p) => p.type === 'hvcC')!);
  const colr = raw(props.find((p) => p.type === 'colr')!);

  const iinf = inMeta.find((b) => b.type === 'iinf')!;
  const tileIds = children(iinf.payload + 6, iinf.end)
    .filter((infe) => file.toString('latin1', infe.payload + 8, infe.payload + 12) === 'hvc1')
    .map((infe) => file.readUInt16BE(infe.payload + 4));

  // iloc version 1: offset and length sizes 4, no base offset, no index.
  const iloc = inMeta.find((b) => b.type === 'iloc')!;
  let at = iloc.payload + 4 + 2;
  const count = file.readUInt16BE(at);
  at += 2;
  const extents = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const id = file.readUInt16BE(at);
    const method = file.readUInt16BE(at + 2) & 0xf;
    const extentCount = file.readUInt16BE(at + 6);
    at += 8;
    const parts: Buffer[] = [];
    for (let e = 0; e < extentCount; e++) {
      parts.push(file.subarray(file.readUInt32BE(at), file.readUInt32BE(at) + file.readUInt32BE(at + 4)));
      at += 8;
    }
    if (method === 0) extents.set(id, Buffer.concat(parts));
  }
  return { hvcC, colr, tiles: tileIds.map((id) => extents.get(id)!), tileSize: 512 };
}

/** An item of one of the iPhone photo's 512x512 HEVC tiles, with its configuration, size and any more properties. */
export function iphoneTile(parts: HeicParts, id: number, index: number, options: { hidden?: boolean; extra?: Buffer[] } = {}): HeifItemSpec {
  return { id, type: 'hvc1', data: parts.tiles[index], hidden: options.hidden ?? false, properties: [parts.hvcC, ispe(parts.tileSize, parts.tileSize), ...(options.extra ?? [])] };
}
