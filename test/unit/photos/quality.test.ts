import { describe, expect, it } from 'vitest';
import { measuredSize, measureQuality, MIN_PIXELS, QUALITY_SIDE } from '../../../src/photos/quality.js';

const SIDE = 64;
/** Large enough a photo for none of these pictures to be too small. */
const PHOTO = { width: 4032, height: 3024 };

/** RGB pixels of a SIDE x SIDE grey picture, each pixel's level given by `level(x, y)`. */
function grey(level: (x: number, y: number) => number, channels: 3 | 4 = 3): Uint8Array {
  const pixels = new Uint8Array(SIDE * SIDE * channels);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const p = (y * SIDE + x) * channels;
      pixels.fill(level(x, y), p, p + 3);
      if (channels === 4) pixels[p + 3] = 255;
    }
  }
  return pixels;
}

/** 4 px squares of two mid tones: edges everywhere, nothing clipped or in deep shadow. */
const checkerboard = (dark = 70, light = 190) => grey((x, y) => (((x >> 2) + (y >> 2)) % 2 ? light : dark));
const measure = (pixels: Uint8Array, photo = PHOTO, channels: 3 | 4 = 3) => measureQuality(pixels, SIDE, SIDE, channels, photo.width, photo.height);

/** The sRGB level of `level` with its light multiplied by `factor` (a change of exposure). */
function exposed(level: number, factor: number): number {
  const v = level / 255;
  const light = (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4) * factor;
  return Math.round((light <= 0.0031308 ? light * 12.92 : 1.055 * light ** (1 / 2.4) - 0.055) * 255);
}

describe('measureQuality', () => {
  it('finds nothing to fix in a sharp, well-lit, contrasted picture of a large photo', () => {
    const quality = measure(checkerboard());
    expect(quality.warnings).toEqual([]);
    expect(quality.sharpness).toBeGreaterThan(1);
    expect(quality.contrast).toBeGreaterThan(0.7);
    expect(quality).toMatchObject({ shadows: 0, highlights: 0 });
  });

  it('calls a uniform grey blurry and flat, and a smooth gradient blurry but not flat', () => {
    expect(measure(grey(() => 128))).toMatchObject({ sharpness: 0, contrast: 0, warnings: ['blurry', 'low_contrast'] });
    const gradient = measure(grey((x) => 40 + x * 3));
    expect(gradient.warnings).toEqual(['blurry']);
    expect(gradient.sharpness).toBeLessThan(measure(checkerboard()).sharpness / 10);
  });

  it('calls black too dark and white too bright, without a contrast warning on top: the light is what to fix', () => {
    expect(measure(grey(() => 0))).toMatchObject({ exposure: 0, shadows: 1, warnings: ['blurry', 'too_dark'] });
    expect(measure(grey(() => 255))).toMatchObject({ exposure: 1, highlights: 1, warnings: ['blurry', 'too_bright'] });
  });

  it('counts a pixel as blown out when any one colour channel is at its maximum', () => {
    const red = measureQuality(new Uint8Array(SIDE * SIDE * 3).map((_, i) => (i % 3 === 0 ? 255 : 60)), SIDE, SIDE, 3, PHOTO.width, PHOTO.height);
    expect(red.highlights).toBe(1);
    expect(red.warnings).toContain('too_bright');
  });

  it('measures contrast the same whatever the exposure, so that only haze or flat light make it low', () => {
    const normal = measure(checkerboard(70, 190));
    const twoStopsUnder = measure(checkerboard(exposed(70, 1 / 4), exposed(190, 1 / 4)));
    expect(twoStopsUnder.exposure).toBeLessThan(normal.exposure - 0.2);
    expect(twoStopsUnder.contrast).toBeCloseTo(normal.contrast, 1);
    // The same light tones squeezed towards their middle.
    expect(measure(checkerboard(115, 145)).warnings).toEqual(['low_contrast']);
  });

  it('warns too_small under one megapixel of the photo itself, whatever size the measured copy is', () => {
    expect(measure(checkerboard(), { width: 1000, height: 1000 }).warnings).toEqual([]);
    expect(MIN_PIXELS).toBe(1_000_000);
    expect(measure(checkerboard(), { width: 999, height: 1000 }).warnings).toEqual(['too_small']);
    expect(measure(checkerboard(), { width: 600, height: 400 }).warnings).toEqual(['too_small']);
  });

  it('reads RGBA pixels, as a canvas gives them, the same as RGB', () => {
    expect(measure(grey((x, y) => (x * 7 + y * 13) % 256, 4), PHOTO, 4)).toEqual(measure(grey((x, y) => (x * 7 + y * 13) % 256)));
  });
});

describe('measuredSize', () => {
  it('scales the long side to QUALITY_SIDE, keeping the proportions, and never enlarges', () => {
    expect(QUALITY_SIDE).toBe(512);
    expect(measuredSize(4032, 3024)).toEqual({ width: 512, height: 384 });
    expect(measuredSize(2566, 3313)).toEqual({ width: 397, height: 512 });
    expect(measuredSize(300, 200)).toEqual({ width: 300, height: 200 });
  });
});
