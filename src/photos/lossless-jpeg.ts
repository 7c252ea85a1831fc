// The lossless path for JPEG uploads: the stored photo is the upload's own compressed image data (tables,
// frame, scans, restart markers), bit for bit, with every other segment (APPn: EXIF, XMP, ICC, maker notes,
// thumbnails; COM) and everything after the end marker left out. Identifying metadata lives in those
// segments, never in the image data. A photo whose orientation tag asks for a turn or a mirror is turned in
// the DCT domain by libjpeg-turbo's jpegtran, when that is exact for its size and sampling.
//
// The photo is decoded once, at the 1/8 step of its size that a screen needs (libjpeg scales in its inverse
// DCT, reading every byte of every scan): a scan cut short or damaged fails here, and the same pixels give
// the display copy and the thumbnail. Whatever this path cannot do exactly, it declines (null), and the
// caller re-encodes the pixels as for any other format.

import type { Sharp } from 'sharp';
import { ImageTooComplexError } from '../errors.js';
import type { ImageHeader } from './dimensions.js';
import { isSrgbProfile } from './icc-profile.js';
import { JpegToolError, jpegToolPath, JpegToolTimeout, runJpegTool } from './jpeg-tools.js';
import { EOI, isSof, SOI, SOS, type JpegLayout } from './jpeg-markers.js';
import { DISPLAY_JPEG_OPTIONS, DISPLAY_MAX_SIDE, JPEG_OPTIONS, THUMBNAIL_MAX_SIDE, type SanitizedImages } from './sanitize.js';
import { sharp } from './sharp-setup.js';

const DQT = 0xdb;
const DHT = 0xc4;
const DRI = 0xdd;
const COM = 0xfe;
const APP0 = 0xe0;
const APP14 = 0xee;
/** Baseline, extended and progressive Huffman frames: what every browser decodes (arithmetic coding is not). */
const HUFFMAN_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
const isApp = (marker: number) => marker >= 0xe0 && marker <= 0xef;

interface Frame {
  width: number;
  height: number;
  /** Component ids and sampling factors, in frame order. */
  components: { id: number; h: number; v: number }[];
}

function readFrame(payload: Buffer): Frame | null {
  if (payload.length < 6) return null;
  const count = payload[5]!;
  if (payload.length < 6 + count * 3) return null;
  const components = Array.from({ length: count }, (_, i) => {
    const sampling = payload[6 + i * 3 + 1]!;
    return { id: payload[6 + i * 3]!, h: sampling >> 4, v: sampling & 0x0f };
  });
  return { width: payload.readUInt16BE(3), height: payload.readUInt16BE(1), components };
}

/**
 * Whether the image data alone decodes to the same colours: a greyscale frame, or a three-component one
 * that every decoder reads as YCbCr both with the upload's markers and without them (libjpeg's rules: JFIF
 * means YCbCr; otherwise Adobe's transform flag; otherwise the component ids, where 'R','G','B' mean RGB).
 * CMYK and RGB-coded frames go to the re-encode, which converts them.
 */
function keepsItsColours(layout: JpegLayout, frame: Frame): boolean {
  if (frame.components.length === 1) return true;
  if (frame.components.length !== 3) return false;
  const ids = frame.components.map((c) => c.id).join(',');
  const idsSayRgb = ids === '82,71,66';
  const jfif = layout.segments.some((s) => s.marker === APP0 && s.payload.toString('latin1', 0, 5) === 'JFIF\0');
  const adobe = layout.segments.find((s) => s.marker === APP14 && s.payload.length >= 12 && s.payload.toString('latin1', 0, 5) === 'Adobe');
  const withMarkersRgb = jfif ? false : adobe ? adobe.payload[11] === 0 : idsSayRgb;
  return !withMarkersRgb && !idsSayRgb;
}

/**
 * jpegtran's transform that makes each EXIF orientation upright, and the same for sharp's raw pixels (sharp
 * mirrors before it turns, whatever the order of the calls: checked against its autoOrient in the tests).
 */
const TRANSFORMS: Record<number, { jpegtran: string[]; upright: (image: Sharp) => Sharp; swapsSides: boolean }> = {
  2: { jpegtran: ['-flip', 'horizontal'], upright: (i) => i.flop(), swapsSides: false },
  3: { jpegtran: ['-rotate', '180'], upright: (i) => i.rotate(180), swapsSides: false },
  4: { jpegtran: ['-flip', 'vertical'], upright: (i) => i.flip(), swapsSides: false },
  5: { jpegtran: ['-transpose'], upright: (i) => i.rotate(270).flop(), swapsSides: true },
  6: { jpegtran: ['-rotate', '90'], upright: (i) => i.rotate(90), swapsSides: true },
  7: { jpegtran: ['-transverse'], upright: (i) => i.rotate(90).flop(), swapsSides: true },
  8: { jpegtran: ['-rotate', '270'], upright: (i) => i.rotate(270), swapsSides: true },
};

/**
 * Whether jpegtran can make the orientation exactly (libjpeg-turbo's jtransform_perfect_transform): a turn
 * or mirror moves the partial blocks at the right or bottom edge to the other side, which only works when
 * that edge falls on a whole MCU (8 or 16 pixels, by the chroma sampling). A transpose never moves them.
 */
function transformIsExact(orientation: number, frame: Frame): boolean {
  const single = frame.components.length === 1;
  const mcuWidth = single ? 8 : 8 * Math.max(...frame.components.map((c) => c.h));
  const mcuHeight = single ? 8 : 8 * Math.max(...frame.components.map((c) => c.v));
  const widthWhole = frame.width % mcuWidth === 0;
  const heightWhole = frame.height % mcuHeight === 0;
  switch (orientation) {
    case 2: // mirror left-right
    case 8: // turn 270°
      return widthWhole;
    case 4: // mirror top-bottom
    case 6: // turn 90°
      return heightWhole;
    case 3: // turn 180°
    case 7: // transverse
      return widthWhole && heightWhole;
    default: // 5, the transpose
      return true;
  }
}

export interface LosslessPlan {
  /** The upload's image data with nothing else, still in its own orientation. */
  imageData: Buffer;
  frame: Frame;
  orientation: number;
  progressive: boolean;
}

/**
 * Decides from the structure alone whether the photo can be kept as it is, and cuts out its image data;
 * null when it cannot (the caller re-encodes).
 */
export function planLossless(input: Buffer, layout: JpegLayout, header: ImageHeader): LosslessPlan | null {
  if (layout.eoi === null || !jpegToolPath('djpeg')) return null;
  const frames = layout.segments.filter((s) => isSof(s.marker));
  if (frames.length !== 1 || !HUFFMAN_FRAMES.has(frames[0]!.marker)) return null;
  const frame = readFrame(frames[0]!.payload);
  if (!frame || frame.width !== header.width || frame.height !== header.height) return null;
  if (!keepsItsColours(layout, frame)) return null;
  if (header.icc && header.icc.length > 0 && !isSrgbProfile(header.icc)) return null;

  const orientation = TRANSFORMS[header.metadata?.orientation ?? 1] ? header.metadata!.orientation! : 1;
  if (orientation !== 1 && !(jpegToolPath('jpegtran') && transformIsExact(orientation, frame))) return null;

  const imageData = cutImageData(input, layout);
  if (!imageData) return null;
  return { imageData, frame, orientation, progressive: frames[0]!.marker === 0xc2 };
}

/**
 * SOI, the tables, frame, scans (each with its entropy-coded data up to the next marker) and EOI, in the
 * upload's order; APPn and COM left out. Null when a segment is something else (DNL, DAC, JPG extensions):
 * no phone writes those, and they are not worth a path of their own.
 */
function cutImageData(input: Buffer, layout: JpegLayout): Buffer | null {
  const parts: Buffer[] = [Buffer.from([0xff, SOI])];
  const { segments } = layout;
  for (let i = 0; i < segments.length; i++) {
    const { marker, offset, payload } = segments[i]!;
    if (isApp(marker) || marker === COM) continue;
    if (marker !== DQT && marker !== DHT && marker !== DRI && marker !== SOS && !isSof(marker)) return null;
    const end = marker === SOS ? (segments[i + 1]?.offset ?? layout.eoi!) : payload.byteOffset - input.byteOffset + payload.length;
    parts.push(input.subarray(offset, end));
  }
  parts.push(Buffer.from([0xff, EOI]));
  return Buffer.concat(parts);
}

/**
 * The display copy keeps 4:4:4 for its red and brown edges (sanitize.ts), unless the upload itself has
 * 4:2:0 colour: decoded at half its size or less, its colour is no finer than 4:2:0 at the copy's size,
 * and 4:4:4 would only make the copy larger, larger even than the photo for a smooth one.
 */
function displayOptions(frame: Frame) {
  const [luma, ...chroma] = frame.components;
  const halvedColour = luma !== undefined && luma.h === 2 && luma.v === 2 && chroma.every((c) => c.h === 1 && c.v === 1);
  // Huffman tables fitted to the copy, as the camera fitted the photo's: ~10% smaller, and for a copy of at
  // most 4 MP the coefficients this holds are a few MB (unlike a 12 MP re-encode, sanitize.ts).
  return { ...DISPLAY_JPEG_OPTIONS, optimiseCoding: true, ...(halvedColour ? { chromaSubsampling: '4:2:0' as const } : {}) };
}

/** Rows and columns libjpeg gives at scale m/8 (jdiv_round_up). */
const scaled = (side: number, eighths: number) => Math.ceil((side * eighths) / 8);

/**
 * The 1/8 step to decode at: the largest that a display copy needs no more than (a 4032 px photo decodes at
 * 4/8, to 2016 px), unless that would leave the copy under 90% of DISPLAY_MAX_SIDE, in which case one step
 * larger, resized down. A photo no larger than DISPLAY_MAX_SIDE decodes whole: it is its own display copy.
 */
function decodeScale(longSide: number): { eighths: number; resize: boolean } {
  if (longSide <= DISPLAY_MAX_SIDE) return { eighths: 8, resize: false };
  const eighths = Math.max(1, Math.floor((8 * DISPLAY_MAX_SIDE) / longSide));
  if (scaled(longSide, eighths) >= 0.9 * DISPLAY_MAX_SIDE) return { eighths, resize: false };
  return { eighths: eighths + 1, resize: true };
}

interface DecodedPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** Parses djpeg's binary PGM (P5) or PPM (P6): a text header "Pn\nW H\n255\n", then the samples. */
function readPnm(output: Buffer): DecodedPixels {
  const header = /^P([56])\n(\d+) (\d+)\n255\n/.exec(output.toString('latin1', 0, 40));
  if (!header) throw new JpegToolError('djpeg', 'no PNM header');
  const channels = header[1] === '5' ? 1 : 3;
  const width = Number(header[2]);
  const height = Number(header[3]);
  const data = output.subarray(header[0].length);
  if (data.length !== width * height * channels) throw new JpegToolError('djpeg', 'short PNM data');
  return { data, width, height, channels };
}

async function decodeAtScale(plan: LosslessPlan, eighths: number, seconds: number, signal?: AbortSignal): Promise<DecodedPixels> {
  const { frame } = plan;
  const channels = frame.components.length === 1 ? 1 : 3;
  const width = scaled(frame.width, eighths);
  const height = scaled(frame.height, eighths);
  const output = await runJpegTool('djpeg', ['-scale', `${eighths}/8`], { input: plan.imageData, maxOutputBytes: width * height * channels + 64, seconds, signal });
  const pixels = readPnm(output);
  if (pixels.width !== width || pixels.height !== height || pixels.channels !== channels) throw new JpegToolError('djpeg', 'unexpected size');
  return pixels;
}

async function transformed(plan: LosslessPlan, seconds: number, signal?: AbortSignal): Promise<Buffer> {
  const { imageData, orientation, progressive } = plan;
  if (orientation === 1) return imageData;
  // -optimize: Huffman tables fitted to the photo, as the camera's were, so the file stays as small as the
  // upload; -copy none: no marker of the input is carried over (there are none left to carry).
  const args = ['-copy', 'none', '-perfect', '-optimize', ...(progressive ? ['-progressive'] : []), ...TRANSFORMS[orientation]!.jpegtran];
  // Optimized tables never make the data larger than the input's by more than its tables' few hundred bytes.
  return runJpegTool('jpegtran', args, { input: imageData, maxOutputBytes: imageData.length * 2 + 65536, seconds, signal });
}

async function turn(pixels: DecodedPixels, upright: (image: Sharp) => Sharp, seconds: number): Promise<DecodedPixels> {
  const opened = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });
  const { data, info } = await upright(opened).raw().timeout({ seconds }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: pixels.channels };
}

/**
 * The stored photo, its display copy and thumbnail, or null when the path declines (a tool refused the
 * data or warned about it). Time limits and aborts reject, as for a re-encode.
 */
export async function keepImageData(plan: LosslessPlan, seconds: number, signal?: AbortSignal): Promise<SanitizedImages | null> {
  const longSide = Math.max(plan.frame.width, plan.frame.height);
  const scale = decodeScale(longSide);
  const work = Promise.all([transformed(plan, seconds, signal), decodeAtScale(plan, scale.eighths, seconds, signal)]);
  let image: Buffer;
  let pixels: DecodedPixels;
  try {
    [image, pixels] = await work;
  } catch (error) {
    if (error instanceof JpegToolError) return null;
    if (error instanceof JpegToolTimeout) throw new ImageTooComplexError('The photo took too long to open: please send it as an ordinary JPEG');
    throw error;
  }

  const transform = TRANSFORMS[plan.orientation];
  const swapsSides = transform?.swapsSides ?? false;
  const width = swapsSides ? plan.frame.height : plan.frame.width;
  const height = swapsSides ? plan.frame.width : plan.frame.height;
  // Turned once, for both copies; the pixels are at most a screen's worth.
  const upright = transform ? await turn(pixels, transform.upright, seconds) : pixels;
  const open = () => sharp(upright.data, { raw: { width: upright.width, height: upright.height, channels: upright.channels } });
  const fit = (side: number) => ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;

  const needsDisplay = longSide > DISPLAY_MAX_SIDE;
  const [thumbnail, display] = await Promise.all([
    open().resize(fit(THUMBNAIL_MAX_SIDE)).jpeg(JPEG_OPTIONS).timeout({ seconds }).toBuffer({ resolveWithObject: true }),
    needsDisplay
      ? (scale.resize ? open().resize(fit(DISPLAY_MAX_SIDE)) : open()).jpeg(displayOptions(plan.frame)).timeout({ seconds }).toBuffer({ resolveWithObject: true })
      : null,
  ]);
  return {
    image,
    width,
    height,
    thumbnail: thumbnail.data,
    thumbWidth: thumbnail.info.width,
    thumbHeight: thumbnail.info.height,
    display: display ? { data: display.data, width: display.info.width, height: display.info.height } : null,
  };
}
