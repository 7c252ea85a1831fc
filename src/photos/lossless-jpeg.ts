// The lossless path for JPEG uploads: the stored photo is the upload's own compressed image data (tables,
// frame, scans, restart markers), bit for bit, with every other segment (APPn: EXIF, XMP, ICC, maker notes,
// thumbnails; COM) and everything after the end marker left out. Identifying metadata lives in those
// segments, never in the image data. A photo whose orientation tag asks for a turn or a mirror is turned in
// the DCT domain by libjpeg-turbo's jpegtran, when that is exact for its size and sampling.
//
// The stored photo is decoded once, whole: a photo larger than a screen by djpeg at the 1/8 step of its
// size the display copy needs (libjpeg scales in its inverse DCT, still reading every byte of every scan),
// the thumbnail then cut from that copy; a smaller one by sharp for its thumbnail. A scan cut short or
// damaged fails there. Whatever this path cannot do exactly, it declines (null), and the caller re-encodes
// the pixels as for any other format (and refuses what cannot be decoded).

import { ImageTooComplexError } from '../errors.js';
import type { ImageHeader } from './dimensions.js';
import { isSrgbProfile } from './icc-profile.js';
import { JpegToolError, jpegToolPath, JpegToolTimeout, runJpegTool, runJpegTools } from './jpeg-tools.js';
import { EOI, isSof, SOI, SOS, walkJpeg, type JpegLayout } from './jpeg-markers.js';
import { DISPLAY_JPEG_OPTIONS, DISPLAY_MAX_SIDE, JPEG_OPTIONS, THUMBNAIL_MAX_SIDE, type SanitizedImages } from './sanitize.js';
import { openImage, openOwnOutput, sharp } from './sharp-setup.js';
import { verifyJpegStructure } from './verify.js';

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

/** jpegtran's transform that makes each EXIF orientation upright. */
const TRANSFORMS: Record<number, string[]> = {
  2: ['-flip', 'horizontal'],
  3: ['-rotate', '180'],
  4: ['-flip', 'vertical'],
  5: ['-transpose'],
  6: ['-rotate', '90'],
  7: ['-transverse'],
  8: ['-rotate', '270'],
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
  // djpeg and cjpeg make the display copy of a large photo; sharp alone suffices for a small one.
  const largerThanAScreen = Math.max(header.width, header.height) > DISPLAY_MAX_SIDE;
  if (layout.eoi === null || (largerThanAScreen && !(jpegToolPath('djpeg') && jpegToolPath('cjpeg')))) return null;
  const frames = layout.segments.filter((s) => isSof(s.marker));
  if (frames.length !== 1 || !HUFFMAN_FRAMES.has(frames[0]!.marker)) return null;
  const frame = readFrame(frames[0]!.payload);
  if (!frame || frame.width !== header.width || frame.height !== header.height) return null;
  if (!keepsItsColours(layout, frame)) return null;
  if (header.icc && header.icc.length > 0 && !isSrgbProfile(header.icc)) return null;

  const orientation = TRANSFORMS[header.metadata?.orientation ?? 1] ? header.metadata!.orientation! : 1;
  if (orientation !== 1 && !(jpegToolPath('jpegtran') && transformIsExact(orientation, frame))) return null;

  const imageData = cutImageData(input, layout);
  // What is kept must pass the byte walk of any output (a scan before its frame, say, would not): an odd
  // file is re-encoded, or refused by the decoder, rather than failing our verification.
  if (!imageData || !passesStructureCheck(imageData)) return null;
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
function hasHalvedColour(frame: Frame): boolean {
  const [luma, ...chroma] = frame.components;
  return luma !== undefined && luma.h === 2 && luma.v === 2 && chroma.every((c) => c.h === 1 && c.v === 1);
}

function passesStructureCheck(jpeg: Buffer): boolean {
  try {
    verifyJpegStructure(jpeg);
    return true;
  } catch {
    return false;
  }
}

/** Rows and columns libjpeg gives at scale m/8 (jdiv_round_up). */
const scaled = (side: number, eighths: number) => Math.ceil((side * eighths) / 8);

/**
 * How the display copy is made from a photo larger than DISPLAY_MAX_SIDE: decoded at the largest 1/8 step
 * that fits (a 4032 px photo at 4/8, to 2016 px) and encoded as it comes out of the decoder; or, when that
 * step would leave under 3/4 of DISPLAY_MAX_SIDE (above 50 MP, or just past a step), decoded one step
 * larger and resized down.
 */
function displayScale(longSide: number): { eighths: number; resize: boolean } {
  const eighths = Math.max(1, Math.floor((8 * DISPLAY_MAX_SIDE) / longSide));
  if (scaled(longSide, eighths) >= 0.75 * DISPLAY_MAX_SIDE) return { eighths, resize: false };
  return { eighths: eighths + 1, resize: true };
}

/** Parses djpeg's binary PGM (P5) or PPM (P6): a text header "Pn\nW H\n255\n", then the samples. */
function readPnm(output: Buffer): { data: Buffer; width: number; height: number; channels: 1 | 3 } {
  const header = /^P([56])\n(\d+) (\d+)\n255\n/.exec(output.toString('latin1', 0, 40));
  if (!header) throw new JpegToolError('djpeg', 'no PNM header');
  const channels = header[1] === '5' ? 1 : 3;
  const width = Number(header[2]);
  const height = Number(header[3]);
  const data = output.subarray(header[0].length);
  if (data.length !== width * height * channels) throw new JpegToolError('djpeg', 'short PNM data');
  return { data, width, height, channels };
}

interface Run {
  seconds: number;
  signal?: AbortSignal;
}

/**
 * The display copy of the stored photo (upright already): djpeg's scaled decode piped into cjpeg, so that
 * its pixels never enter the service (where each 9 MB of them would cost a share of a garbage collection);
 * through sharp only when it must be resized.
 */
async function displayCopy(image: Buffer, frame: Frame, { seconds, signal }: Run): Promise<Buffer> {
  const { eighths, resize } = displayScale(Math.max(frame.width, frame.height));
  const decode = { tool: 'djpeg' as const, args: ['-scale', `${eighths}/8`] };
  const channels = frame.components.length === 1 ? 1 : 3;
  const pixelBytes = scaled(frame.width, eighths) * scaled(frame.height, eighths) * channels;
  if (!resize) {
    const encode = { tool: 'cjpeg' as const, args: ['-quality', String(DISPLAY_JPEG_OPTIONS.quality), '-optimize', '-sample', hasHalvedColour(frame) ? '2x2' : '1x1'] };
    return runJpegTools([decode, encode], { input: image, maxOutputBytes: pixelBytes + 65536, seconds, signal });
  }
  const pixels = readPnm(await runJpegTool(decode.tool, decode.args, { input: image, maxOutputBytes: pixelBytes + 64, seconds, signal }));
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
    .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside' })
    .jpeg({ ...DISPLAY_JPEG_OPTIONS, optimiseCoding: true, ...(hasHalvedColour(frame) ? { chromaSubsampling: '4:2:0' as const } : {}) })
    .timeout({ seconds })
    .toBuffer();
}

/** The photo upright: jpegtran's lossless turn, which reads every byte of the scans as it goes. */
async function upright(plan: LosslessPlan, { seconds, signal }: Run): Promise<Buffer> {
  const { imageData, orientation, progressive } = plan;
  if (orientation === 1) return imageData;
  // -optimize: Huffman tables fitted to the photo, as the camera's were, so the file stays as small as the
  // upload; -copy none: no marker of the input is carried over (there are none left to carry).
  const args = ['-copy', 'none', '-perfect', '-optimize', ...(progressive ? ['-progressive'] : []), ...TRANSFORMS[orientation]!];
  // Optimized tables never make the data larger than the input's by more than its tables' few hundred bytes.
  return runJpegTool('jpegtran', args, { input: imageData, maxOutputBytes: imageData.length * 2 + 65536, seconds, signal });
}

/** The frame of our own output (jpegtran's or cjpeg's): its size. */
function frameOf(jpeg: Buffer): Frame {
  const frame = readFrame(walkJpeg(jpeg).segments.find((s) => isSof(s.marker))?.payload ?? Buffer.alloc(0));
  if (!frame) throw new JpegToolError('jpegtran', 'no frame in the output');
  return frame;
}

/**
 * The stored photo, its display copy and thumbnail, or null when the path declines (a tool refused the
 * data or warned about it, or the decoder found it damaged: the re-encode then says why). The whole scan
 * is decoded once: by djpeg for the display copy, or by sharp for the thumbnail of a photo with none. Time
 * limits and aborts reject, as for a re-encode.
 */
export async function keepImageData(plan: LosslessPlan, limits: { maxPixels: number; maxDecodeSeconds: number }, signal?: AbortSignal): Promise<SanitizedImages | null> {
  const run = { seconds: limits.maxDecodeSeconds, signal };
  try {
    const image = await upright(plan, run);
    const frame = plan.orientation === 1 ? plan.frame : frameOf(image);
    const display = Math.max(frame.width, frame.height) > DISPLAY_MAX_SIDE ? await displayCopy(image, frame, run) : null;
    const displayFrame = display ? frameOf(display) : null;
    const thumbnailSource = display ? openOwnOutput(display) : openImage(image, limits.maxPixels);
    const thumbnail = await thumbnailSource
      .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg(JPEG_OPTIONS)
      .timeout({ seconds: limits.maxDecodeSeconds })
      .toBuffer({ resolveWithObject: true });
    return {
      image,
      width: frame.width,
      height: frame.height,
      thumbnail: thumbnail.data,
      thumbWidth: thumbnail.info.width,
      thumbHeight: thumbnail.info.height,
      display: display && displayFrame ? { data: display, width: displayFrame.width, height: displayFrame.height } : null,
    };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof JpegToolTimeout || /timeout/i.test((error as Error).message)) {
      throw new ImageTooComplexError('The photo took too long to open: please send it as an ordinary JPEG');
    }
    return null;
  }
}
