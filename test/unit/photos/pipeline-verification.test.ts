import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { sanitizePhoto } from '../../../src/photos/pipeline.js';
import { VerificationError } from '../../../src/photos/verify.js';
import { fixture, insertAfterHeader, jpegSegment } from '../../helpers/images.js';

// Stands in for an encoder regression: the sanitizer hands back an image that still carries
// something. The pipeline must refuse to return it, as an internal failure (500), not a 4xx.
const tamper = vi.hoisted(() => ({ mode: 'trailer' }));

vi.mock('../../../src/photos/sanitize.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/photos/sanitize.js')>();
  return {
    ...actual,
    sanitizeImage: async (...args: Parameters<typeof actual.sanitizeImage>) => {
      const result = await actual.sanitizeImage(...args);
      const comment = (jpeg: Buffer) => insertAfterHeader(jpeg, jpegSegment(0xfe, Buffer.from('John Doe')));
      if (tamper.mode === 'trailer') return { ...result, image: Buffer.concat([result.image, Buffer.from('PATIENT')]) };
      if (tamper.mode === 'comment-in-display' && result.display) return { ...result, display: { ...result.display, data: comment(result.display.data) } };
      return { ...result, thumbnail: comment(result.thumbnail) };
    },
  };
});

describe('sanitizePhoto when its own output is not clean', () => {
  it.each([
    ['trailer', 'orient-1.jpg'],
    ['comment-in-thumbnail', 'orient-1.jpg'],
    ['comment-in-display', 'real/jolla.jpg'], // 3264 x 2448: it has a display copy
  ] as const)('fails with an internal error (%s), never a client error', async (mode, file) => {
    tamper.mode = mode;
    const result = sanitizePhoto(fixture(file), { maxPixels: 100_000_000, maxDecodeSeconds: 60, memoryBytes: 1024 ** 3 });
    await expect(result).rejects.toBeInstanceOf(VerificationError);
    await expect(result.catch((error: unknown) => error instanceof AppError)).resolves.toBe(false);
  });
});
