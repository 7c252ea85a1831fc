// Shared helpers for photo tests: the shared fixture corpus (read in place, never copied),
// leak searches over output bytes, pixel sampling, and hand-built JPEG variants.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../src/errors.js';
import { sanitizePhoto, type PhotoLimits } from '../../src/photos/pipeline.js';

export const FIXTURES_DIR = path.resolve(process.cwd(), '../shared/fixtures');

export interface ManifestEntry {
  file: string;
  expect: string;
  notes: string;
}

export interface Manifest {
  identifyingStrings: string[];
  files: ManifestEntry[];
}

export const manifest: Manifest = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'manifest.json'), 'utf8')) as Manifest;

export function fixture(file: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, file));
}

/** Identifying strings found in `bytes`, searched as latin1/UTF-8 and as UTF-16LE (EXIF XP* tags). */
export function leakedStrings(bytes: Buffer, strings: readonly string[] = manifest.identifyingStrings): string[] {
  return strings.filter(
    (text) => bytes.includes(Buffer.from(text, 'latin1')) || bytes.includes(Buffer.from(text, 'utf16le')),
  );
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** Reads pixels at fractional positions (0..1) of a decoded image. */
export async function samplePixels(image: Buffer, points: readonly [number, number][]): Promise<Rgb[]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return points.map(([fx, fy]) => {
    const x = Math.min(info.width - 1, Math.floor(fx * info.width));
    const y = Math.min(info.height - 1, Math.floor(fy * info.height));
    const i = (y * info.width + x) * info.channels;
    return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
  });
}

export const isRed = ({ r, g, b }: Rgb): boolean => r > 180 && g < 90 && b < 90;

/** A small, clean baseline JPEG straight from sharp (SOI, JFIF, DQT, SOF, DHT, SOS, EOI). */
export function plainJpeg(width = 32, height = 24): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 90 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A JPEG marker segment: 0xFF, marker, big-endian length (payload + 2), payload. */
export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A JFIF APP0 segment, optionally claiming a thumbnail of thumbWidth x thumbHeight RGB pixels. */
export function jfifSegment(thumbWidth = 0, thumbHeight = 0): Buffer {
  const header = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 72, 0, 72, thumbWidth, thumbHeight]);
  return jpegSegment(0xe0, Buffer.concat([header, Buffer.alloc(thumbWidth * thumbHeight * 3, 0x80)]));
}

/** Inserts a segment right after SOI (and after the JFIF APP0 if there is one). */
export function insertAfterHeader(jpeg: Buffer, segment: Buffer): Buffer {
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === 0xe0) at = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, at), segment, jpeg.subarray(at)]);
}

/** The error the pipeline refuses `input` with; fails the test when the photo is accepted or the error is not an AppError. */
export async function refusalOf(input: Buffer, limits: PhotoLimits): Promise<AppError> {
  try {
    await sanitizePhoto(input, limits);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the photo was accepted');
}
