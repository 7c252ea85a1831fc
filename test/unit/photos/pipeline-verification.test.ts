import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { sanitizePhoto } from '../../../src/photos/pipeline.js';
import { VerificationError } from '../../../src/photos/verify.js';
import { fixture, insertAfterHeader, jpegSegment } from '../../helpers/images.js';

// Stands in for an encoder regression: the sanitizer hands back an image that still carries
// something. The pipeline must refuse to return it, as an internal failure (500), not a 4xx.
const tamper = vi.hoisted(() => ({ mode: 'trailer' }));

/** Spoils one output of either path, as tamper.mode says. */
function spoil<T extends { image: Buffer; thumbnail: Buffer; display: { data: Buffer } | null }>(result: T): T {
  const comment = (jpeg: Buffer) => insertAfterHeader(jpeg, jpegSegment(0xfe, Buffer.from('John Doe')));
  if (tamper.mode === 'trailer') return { ...result, image: Buffer.concat([result.image, Buffer.from('PATIENT')]) };
  if (tamper.mode === 'comment-in-display' && result.display) return { ...result, display: { ...result.display, data: comment(result.display.data) } };
  return { ...result, thumbnail: comment(result.thumbnail) };
}

vi.mock('../../../src/photos/sanitize.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/photos/sanitize.js')>();
  return { ...actual, sanitizeImage: async (...args: Parameters<typeof actual.sanitizeImage>) => spoil(await actual.sanitizeImage(...args)) };
});

// The lossless path's outputs (a JPEG's own image data, its display copy and thumbnail) pass the same check.
vi.mock('../../../src/photos/lossless-jpeg.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/photos/lossless-jpeg.js')>();
  return {
    ...actual,
    keepImageData: async (...args: Parameters<typeof actual.keepImageData>) => {
      const result = await actual.keepImageData(...args);
      return result && spoil(result);
    },
  };
});

describe('sanitizePhoto when its own output is not clean', () => {
  it.each([
    ['trailer', 'orient-1.jpg'], // kept lossless
    ['trailer', 'png-text-chunks.png'], // re-encoded
    ['comment-in-thumbnail', 'orient-1.jpg'],
    ['comment-in-thumbnail', 'webp-exif-xmp.webp'],
    ['comment-in-display', 'real/jolla.jpg'], // 3264 x 2448: it has a display copy
    ['comment-in-display', 'real/IMG_5195.HEIC'],
  ] as const)('fails with an internal error (%s in %s), never a client error', async (mode, file) => {
    tamper.mode = mode;
    const result = sanitizePhoto(fixture(file), { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 });
    await expect(result).rejects.toBeInstanceOf(VerificationError);
    await expect(result.catch((error: unknown) => error instanceof AppError)).resolves.toBe(false);
  });
});
