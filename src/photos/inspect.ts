// Lists the kinds of identifying metadata an upload carried, for `removedMetadata`. It only
// reports: the sanitizer drops everything regardless, so a parse failure here is never fatal.

import exifr from 'exifr';
import type { Metadata } from 'sharp';
import type { Container } from './container.js';
import { readHeifStructure, type HeifStructure } from './isobmff.js';
import { walkJpeg, type JpegLayout } from './jpeg-markers.js';
import { inflateBounded, walkPng, type PngLayout } from './png-chunks.js';
import { sharp } from './sharp-setup.js';
import type { SourceType } from './sniff.js';

export type MetadataKind =
  | 'exif'
  | 'gps'
  | 'xmp'
  | 'iptc'
  | 'icc'
  | 'comment'
  | 'thumbnail'
  | 'makernote'
  | 'text'
  | 'trailer'
  | 'photoshop';

type Found = Set<MetadataKind>;

const startsWith = (payload: Buffer, text: string): boolean =>
  payload.length >= text.length && payload.toString('latin1', 0, text.length) === text;

function scanJpeg(input: Buffer, layout: JpegLayout, found: Found): void {
  for (const { marker, payload } of layout.segments) {
    if (marker === 0xfe) {
      found.add('comment');
    } else if (marker === 0xe0) {
      // JFIF itself holds only a pixel density; its optional preview (or a JFXX one) is a thumbnail.
      if (startsWith(payload, 'JFIF\0') && payload.length >= 14 && payload[12]! * payload[13]! > 0) found.add('thumbnail');
      if (startsWith(payload, 'JFXX\0')) found.add('thumbnail');
    } else if (marker === 0xe1) {
      if (startsWith(payload, 'Exif\0')) found.add('exif');
      else if (startsWith(payload, 'http://ns.adobe.com/')) found.add('xmp');
      else found.add('makernote');
    } else if (marker === 0xe2) {
      if (startsWith(payload, 'ICC_PROFILE\0')) found.add('icc');
      // MPF: further full images (previews, depth maps) stored after the first EOI.
      else if (startsWith(payload, 'MPF\0')) found.add('thumbnail');
      else found.add('makernote');
    } else if (marker === 0xed) {
      found.add('photoshop');
      scanPhotoshopResources(payload, found);
    } else if (marker === 0xee) {
      // APP14 "Adobe" only says how colours were transformed: no information about anyone.
      if (!startsWith(payload, 'Adobe')) found.add('makernote');
    } else if (marker >= 0xe3 && marker <= 0xef) {
      // Vendor blocks (Ducky, Meta, Samsung, Qualcomm...): opaque, and gone after re-encoding.
      found.add('makernote');
    }
  }
  if (layout.eoi !== null && layout.eoi + 2 < input.length) found.add('trailer');
}

/** Photoshop image resources (APP13): 0x0404 is IPTC, 0x0409/0x040C are thumbnails. */
function scanPhotoshopResources(payload: Buffer, found: Found): void {
  let pos = payload.indexOf('8BIM', 0, 'latin1');
  while (pos >= 0 && pos + 12 <= payload.length && payload.toString('latin1', pos, pos + 4) === '8BIM') {
    const id = payload.readUInt16BE(pos + 4);
    const nameLength = payload[pos + 6]!;
    let at = pos + 6 + 1 + nameLength;
    if ((1 + nameLength) % 2 === 1) at++; // Pascal name padded to even length
    if (at + 4 > payload.length) return;
    const size = payload.readUInt32BE(at);
    if (id === 0x0404) found.add('iptc');
    if (id === 0x0409 || id === 0x040c) found.add('thumbnail');
    pos = at + 4 + size + (size % 2);
  }
}

const PNG_STANDARD_CHUNKS = new Set([
  'IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'cHRM', 'gAMA', 'sBIT', 'sRGB', 'cICP', 'mDCV', 'cLLI',
  'bKGD', 'hIST', 'pHYs', 'sPLT', 'acTL', 'fcTL', 'fdAT',
]);

/** Enough of an XMP packet to see GPS tags in it; a larger one is reported as XMP without looking. */
const MAX_XMP_BYTES = 1024 * 1024;

/**
 * Reports a PNG's metadata from its chunk types, without inflating any text chunk except a compressed
 * XMP packet, within MAX_XMP_BYTES. Returns the eXIf chunk (a bare TIFF structure) for exifr: the PNG
 * itself never goes to a metadata reader, which would inflate every compressed chunk it holds.
 */
function scanPng(layout: PngLayout, found: Found): Buffer | undefined {
  let exif: Buffer | undefined;
  for (const { type, data } of layout.chunks) {
    if (type === 'iTXt' && startsWith(data, 'XML:com.adobe.xmp\0')) {
      found.add('xmp');
      const compressed = data[18] === 1;
      // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text
      const textStart = data.indexOf(0, data.indexOf(0, 20) + 1) + 1;
      const text = compressed ? inflateBounded(data.subarray(textStart), MAX_XMP_BYTES) : data.subarray(textStart);
      if (text && /GPS(Latitude|Longitude)/.test(text.toString('latin1'))) found.add('gps');
    } else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt' || type === 'tIME') found.add('text');
    else if (type === 'eXIf' || type === 'zxIf') {
      found.add('exif');
      if (type === 'eXIf') exif = data;
    } else if (type === 'iCCP') found.add('icc');
    else if (!PNG_STANDARD_CHUNKS.has(type)) found.add('makernote');
  }
  if (layout.trailingBytes > 0) found.add('trailer');
  return exif;
}

const WEBP_IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);

/** Returns the EXIF chunk (exifr does not read WebP containers itself). */
function scanWebp(input: Buffer, found: Found): Buffer | undefined {
  let exif: Buffer | undefined;
  const riffEnd = 8 + input.readUInt32LE(4);
  if (riffEnd < input.length) found.add('trailer');
  let pos = 12;
  const end = Math.min(riffEnd, input.length);
  while (pos + 8 <= end) {
    const type = input.toString('latin1', pos, pos + 4);
    const size = input.readUInt32LE(pos + 4);
    const data = input.subarray(pos + 8, Math.min(pos + 8 + size, end));
    if (type === 'EXIF') {
      found.add('exif');
      exif = startsWith(data, 'Exif\0\0') ? data.subarray(6) : data;
    } else if (type === 'XMP ') found.add('xmp');
    else if (type === 'ICCP') found.add('icc');
    else if (!WEBP_IMAGE_CHUNKS.has(type)) found.add('makernote');
    pos += 8 + size + (size % 2);
  }
  return exif;
}

// IFD0 tags that only describe the pixel layout. Anything else (Artist, HostComputer,
// ImageDescription, Make, serials, dates...) counts as EXIF metadata, notably in TIFF files.
const LAYOUT_TAGS = new Set([
  'NewSubfileType', 'SubfileType', 'ImageWidth', 'ImageHeight', 'BitsPerSample', 'Compression',
  'PhotometricInterpretation', 'FillOrder', 'StripOffsets', 'Orientation', 'SamplesPerPixel',
  'RowsPerStrip', 'StripByteCounts', 'XResolution', 'YResolution', 'PlanarConfiguration',
  'ResolutionUnit', 'TransferFunction', 'WhitePoint', 'PrimaryChromaticities', 'Predictor',
  'ColorMap', 'TileWidth', 'TileLength', 'TileOffsets', 'TileByteCounts', 'ExtraSamples',
  'SampleFormat', 'JPEGTables', 'YCbCrCoefficients', 'YCbCrSubSampling', 'YCbCrPositioning',
  'ReferenceBlackWhite',
]);

const EXIFR_OPTIONS = {
  tiff: true,
  ifd1: true,
  exif: true,
  gps: true,
  interop: false,
  xmp: false,
  iptc: false,
  icc: false,
  jfif: false,
  ihdr: false,
  makerNote: true,
  userComment: true,
  mergeOutput: false,
  translateValues: false,
  reviveValues: false,
  sanitize: false,
} satisfies Parameters<typeof exifr.parse>[1];

type Segment = Record<string, unknown> | undefined;

function hasText(value: unknown): boolean {
  if (typeof value === 'string') return value.replace(/[\s\0]/g, '').length > 0;
  if (value instanceof Uint8Array) {
    // UserComment starts with an 8-byte character-code header; blank bodies are common.
    return value.subarray(8).some((byte) => byte !== 0 && byte !== 0x20);
  }
  return Array.isArray(value) && value.length > 0;
}

async function scanExif(source: Buffer, found: Found): Promise<void> {
  let parsed: Record<string, Segment> | undefined;
  try {
    parsed = (await exifr.parse(source, EXIFR_OPTIONS)) as Record<string, Segment> | undefined;
  } catch {
    return; // malformed EXIF: still reported from the bytes above, and dropped regardless
  }
  if (!parsed) return;
  const { ifd0, ifd1, exif, gps } = parsed;
  if (ifd0 && Object.keys(ifd0).some((tag) => !LAYOUT_TAGS.has(tag))) found.add('exif');
  if (exif && Object.keys(exif).length > 0) found.add('exif');
  if (gps && Object.keys(gps).length > 0) found.add('gps');
  if (ifd1 && Object.keys(ifd1).length > 0) found.add('thumbnail');
  if (parsed.makerNote || (exif && 'MakerNote' in exif)) found.add('makernote');
  if (hasText(parsed.userComment) || hasText(ifd0?.XPComment) || hasText(exif?.UserComment)) found.add('comment');
}

function fromSharp(metadata: Metadata, found: Found): void {
  if (metadata.exif?.length) found.add('exif');
  if (metadata.xmp?.length) {
    found.add('xmp');
    if (/GPS(Latitude|Longitude)/.test(metadata.xmp.toString('latin1'))) found.add('gps');
  }
  if (metadata.iptc?.length) found.add('iptc');
  if (metadata.icc?.length) found.add('icc');
  if (metadata.comments?.length) found.add('text');
}

/** HEIF items that hold metadata rather than pixels. */
function scanHeif(structure: HeifStructure, found: Found): void {
  if (structure.hasThumbnail) found.add('thumbnail');
  for (const item of structure.items) {
    if (item.type === 'Exif') found.add('exif');
    // MIME items are XMP in practice (application/rdf+xml).
    if (item.type === 'mime') found.add('xmp');
  }
  if (structure.icc) found.add('icc');
}

export interface FindMetadataOptions {
  /** sharp's header metadata, when the caller already has it (never that of a PNG: see scanPng). */
  metadata?: Metadata;
  /** The container as checkContainer read it, so that it is not walked twice. */
  container?: Container;
}

/** What identifying metadata `input` carried, as sorted unique kinds. */
export async function findMetadata(input: Buffer, type: SourceType, options: FindMetadataOptions = {}): Promise<MetadataKind[]> {
  const found: Found = new Set();
  const { container } = options;
  let exifSource: Buffer | undefined = input;
  let readHeader = true;
  try {
    if (type === 'jpeg') scanJpeg(input, container?.jpeg ?? walkJpeg(input), found);
    else if (type === 'png') {
      exifSource = scanPng(container?.png ?? walkPng(input), found);
      readHeader = false;
    } else if (type === 'webp') exifSource = scanWebp(input, found);
    else if (type === 'heic' || type === 'avif') scanHeif(container?.heif ?? readHeifStructure(input), found);
  } catch {
    // A damaged container is refused by the decoder; here it only ends the scan.
  }
  if (readHeader) {
    try {
      fromSharp(options.metadata ?? (await sharp(input, { limitInputPixels: false }).metadata()), found);
    } catch {
      // Same: reporting only.
    }
  }
  if (exifSource) await scanExif(exifSource, found);
  return [...found].sort();
}
