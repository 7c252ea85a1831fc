// The bare image pipeline the service is measured against: decode, orient, JPEG q92 4:4:4 and a
// 512 px thumbnail, with sharp in this process and nothing else (no sniffing, limits, metadata
// inspection, verification, hashing, concurrency bound, HTTP, storage or database). It produces the
// same pixels as the service, so the ratio measures the service's own work.
import libheif from 'libheif-js/wasm-bundle';
import sharp, { type Sharp } from 'sharp';
import { rgbaToTiff } from '../../src/photos/decode.js';
import { runAtConcurrency, type RunResult } from './stats.js';

export interface BenchPhoto {
  name: string;
  bytes: Buffer;
  heic: boolean;
}

// The service's encoder settings (src/photos/sanitize.ts), so that the ratio measures the service's
// own work rather than a difference of encoder options.
const JPEG = { quality: 92, chromaSubsampling: '4:4:4', optimiseCoding: false } as const;

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
  const image = await source.autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb').jpeg(JPEG).toBuffer();
  // The thumbnail from the encoded output: JPEG shrink-on-load makes that the cheap way for every input.
  await sharp(image).resize(512, 512, { fit: 'inside', withoutEnlargement: true }).jpeg(JPEG).toBuffer();
}

export const bareJob = (photos: readonly BenchPhoto[]) => (i: number) => barePipeline(photos[i % photos.length]!);

/** Runs `count` pipelines over the photos in turn, `concurrency` at a time. */
export function runBare(photos: readonly BenchPhoto[], count: number, concurrency: number): Promise<RunResult> {
  return runAtConcurrency(count, concurrency, bareJob(photos));
}
