// The bare image pipeline the service is measured against: decode, orient, JPEG q92 4:4:4, then from
// that output a 512 px thumbnail and, when the long side is over 2048 px, a q85 display copy, with sharp
// in this process and nothing else (no sniffing, limits, metadata inspection, verification, hashing,
// concurrency bound, HTTP, storage or database). It makes the outputs the service's re-encode path makes,
// so the ratio measures the service's own work (and, for JPEGs it keeps as they are, what that saves).
import libheif from 'libheif-js/wasm-bundle';
import sharp, { type Sharp } from 'sharp';
import { rgbaToTiff } from '../../src/photos/decode.js';
import { DISPLAY_JPEG_OPTIONS, DISPLAY_MAX_SIDE, JPEG_OPTIONS, THUMBNAIL_MAX_SIDE } from '../../src/photos/sanitize.js';
import { runAtConcurrency, type RunResult } from './stats.js';

export interface BenchPhoto {
  name: string;
  bytes: Buffer;
  heic: boolean;
}

/** The first image of a HEIF file as RGBA, with libheif (WASM) in this thread and nothing around it. */
async function decodeHeic(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  await libheif.ready;
  const decoder = new libheif.HeifDecoder();
  const images = decoder.decode(bytes);
  try {
    const image = images[0];
    if (!image) throw new Error('no image in the HEIF file');
    const width = image.get_width();
    const height = image.get_height();
    const data = await new Promise<Uint8ClampedArray>((resolve, reject) =>
      image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (result) => (result ? resolve(result.data) : reject(new Error('HEIF decoding failed')))),
    );
    return { width, height, data };
  } finally {
    for (const image of images) image.free();
    decoder.decoder.delete();
  }
}

export async function barePipeline(photo: BenchPhoto): Promise<void> {
  let source: Sharp;
  if (photo.heic) {
    // sharp's prebuilt libvips has no HEVC decoder: the same WASM decoder the service uses.
    const { width, height, data } = await decodeHeic(new Uint8Array(photo.bytes));
    const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    // The same output as the service's: an iPhone photo is Display P3, and converting it to sRGB
    // needs its ICC profile attached to the pixels (sharp reads it from the HEIF header).
    const { icc } = await sharp(photo.bytes).metadata();
    source = icc ? sharp(rgbaToTiff({ width, height, data: pixels }, icc)) : sharp(pixels, { raw: { width, height, channels: 4 } });
  } else {
    source = sharp(photo.bytes, { failOn: 'error' });
  }
  // The service's encoder settings, so that the ratio measures the service's own work rather than a
  // difference of encoder options.
  const { data: image, info } = await source.autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb').jpeg(JPEG_OPTIONS).toBuffer({ resolveWithObject: true });
  // The smaller copies from the encoded output, side by side: JPEG shrink-on-load makes that the cheap
  // way to the thumbnail for every input.
  await Promise.all([
    sharp(image).resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg(JPEG_OPTIONS).toBuffer(),
    Math.max(info.width, info.height) > DISPLAY_MAX_SIDE ? sharp(image).resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: 'inside' }).jpeg(DISPLAY_JPEG_OPTIONS).toBuffer() : null,
  ]);
}

export const bareJob = (photos: readonly BenchPhoto[]) => (i: number) => barePipeline(photos[i % photos.length]!);

/** Runs `count` pipelines over the photos in turn, `concurrency` at a time. */
export function runBare(photos: readonly BenchPhoto[], count: number, concurrency: number): Promise<RunResult> {
  return runAtConcurrency(count, concurrency, bareJob(photos));
}
