// Photo quality at capture: is the photo sharp, well exposed, contrasted and large enough for a specialist to
// judge? Measured on the pixels of a small copy (its long side QUALITY_SIDE px): the server on the thumbnail it
// makes anyway, the browser on a canvas of the chosen file before sending, with this same code (the bundler
// inlines this file's text for the web app and the follow-up page), so both say the same thing.
// No Node or DOM APIs here, nor imports. The thresholds are chosen on the labelled set of `npm run bench:quality`.

/** The long side, in px, of the copy the measures are taken on (the thumbnail's size). */
export const QUALITY_SIDE = 512;

export const QUALITY_WARNINGS = ['blurry', 'too_dark', 'too_bright', 'low_contrast', 'too_small'] as const;
export type QualityWarning = (typeof QUALITY_WARNINGS)[number];

export interface PhotoQuality {
  /** Fine detail against the tonal spread: the Laplacian's standard deviation over the luma's (0 = none). */
  sharpness: number;
  /** Mean luma, 0 (black) .. 1 (white). */
  exposure: number;
  /**
   * The Michelson contrast of the middle 90 % of tones, in linear light: (L95 - L5) / (L95 + L5) of the 5th and
   * 95th percentiles of luma, 0 (one flat tone) .. 1. The same whatever the exposure (light scales L5 and L95
   * alike), so that haze and flat light are told apart from a dark or bright picture.
   */
  contrast: number;
  /** Share of pixels in deep shadow (luma below SHADOW_LUMA). */
  shadows: number;
  /** Share of pixels with a colour channel at its maximum (blown out). */
  highlights: number;
  warnings: QualityWarning[];
}

// The thresholds, chosen on the labelled set of `npm run bench:quality`: the 7 real photos of the fixtures,
// untouched, and each spoiled at five strengths, of which the stronger ones (stated in the bench with why) must be
// warned and the untouched must not. Each threshold sits in the middle of the gap between the worst-looking image
// that must not get the warning and the best-looking one that must, on either side (the browser's canvas resamples
// more softly than libvips: it measures sharpness ~11 % lower), taken on a ratio scale where the measure is one,
// so that it is not fitted to the edge of 7 photos:
// - blurry: Gaussian blur of 0.4 % of the long side or more (16 px on a 12 MP photo) measures at most 0.106; no
//   image that must not be warned under 0.235 (the iPhone photo, in the browser). Geometric middle: 0.16. (Small
//   crops, judged on their size alone, may be: a phone photo at 100 % is soft, an out-of-focus corner more so.)
// - too_dark: 3 EV under or more. "Most of the picture in deep shadow" is its median luma under SHADOW_LUMA: 48 at
//   most at 3 EV under, 85 at least otherwise (a shaded lane); the middle in linear light is luma 64, about
//   2 stops under mid-grey. One photo 3 EV under stays above (median 74: an advert on a white wall).
// - too_bright: 2 EV over or more. Blown out on 0.30 of the picture or more, but for a photo shot 1 EV under to
//   begin with (0.16 at 2 EV over); the untouched red car has 0.18 of its red channel at the maximum. Middle: 0.24.
// - low_contrast: tones flattened to a quarter of their spread or less (fog, a dirty lens): contrast 0.515 at most,
//   0.717 at least otherwise, where the light is fine (a photo too dark or bright is told that instead). In the
//   light ratio of the 95th to the 5th percentile, 3.1 and 6.1: the geometric middle, 4.4 (2.1 stops), is 0.63.
// - too_small: under 1 MP, by the definition of SPEC.md.

/** Below this, too little fine detail for the size. */
export const BLURRY_BELOW = 0.16;
/** Luma (0..255) below which a pixel is in deep shadow (about 2 stops under mid-grey). */
export const SHADOW_LUMA = 64;
/** Share of the picture in deep shadow above which it is too dark ("most of the picture"). */
export const TOO_DARK_ABOVE = 0.5;
/** A channel value at or above which it is at its maximum (JPEG rounding keeps blown areas a little under 255). */
export const CLIPPED_CHANNEL = 250;
/** Share of the picture blown out above which it is too bright ("large areas"). */
export const TOO_BRIGHT_ABOVE = 0.24;
/** Contrast (Michelson, in linear light, of the 5th and 95th percentile tones) below which the picture is flat. */
export const LOW_CONTRAST_BELOW = 0.63;
/** Fewer pixels than this in the photo itself: too small to judge a lesion's detail. */
export const MIN_PIXELS = 1_000_000;

/**
 * Measures a small copy's pixels. `pixels` holds `channels` bytes per pixel (3: RGB, 4: RGBA as a canvas gives,
 * alpha ignored), row by row; `photoWidth` x `photoHeight` is the size of the photo itself (for too_small).
 */
export function measureQuality(pixels: ArrayLike<number>, width: number, height: number, channels: 3 | 4, photoWidth: number, photoHeight: number): PhotoQuality {
  const count = width * height;
  const luma = new Uint8Array(count);
  const histogram = new Uint32Array(256);
  let blown = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0, p = 0; i < count; i++, p += channels) {
    const r = pixels[p]!;
    const g = pixels[p + 1]!;
    const b = pixels[p + 2]!;
    // Rec. 601 luma in integers, as JPEG's own YCbCr.
    const y = (299 * r + 587 * g + 114 * b + 500) / 1000;
    const level = y | 0;
    luma[i] = level;
    histogram[level]!++;
    sum += level;
    sumSquares += level * level;
    if (r >= CLIPPED_CHANNEL || g >= CLIPPED_CHANNEL || b >= CLIPPED_CHANNEL) blown++;
  }
  const mean = sum / count;
  const deviation = Math.sqrt(Math.max(0, sumSquares / count - mean * mean));

  // The 4-neighbour Laplacian over the inner pixels: large where there are edges and texture.
  let lapSum = 0;
  let lapSquares = 0;
  let inner = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const l = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      lapSum += l;
      lapSquares += l * l;
      inner++;
    }
  }
  const lapDeviation = inner ? Math.sqrt(Math.max(0, lapSquares / inner - (lapSum / inner) ** 2)) : 0;

  let shadowPixels = 0;
  for (let level = 0; level < SHADOW_LUMA; level++) shadowPixels += histogram[level]!;
  const percentile = (share: number) => {
    let seen = 0;
    for (let level = 0; level < 256; level++) {
      seen += histogram[level]!;
      if (seen >= share * count) return level;
    }
    return 255;
  };

  // Divided by the tonal spread, so that a darker or flatter picture of the same sharpness measures the same.
  const sharpness = deviation >= 1 ? lapDeviation / deviation : 0;
  const quality = {
    sharpness: round(sharpness),
    exposure: round(mean / 255),
    contrast: round(michelson(LINEAR_LIGHT[percentile(0.05)]!, LINEAR_LIGHT[percentile(0.95)]!)),
    shadows: round(shadowPixels / count),
    highlights: round(blown / count),
  };
  return { ...quality, warnings: warningsOf(quality, photoWidth * photoHeight) };
}

/** The warnings the measures give, in QUALITY_WARNINGS order. */
export function warningsOf(quality: Omit<PhotoQuality, 'warnings'>, photoPixels: number): QualityWarning[] {
  const found: QualityWarning[] = [];
  if (quality.sharpness < BLURRY_BELOW) found.push('blurry');
  const tooDark = quality.shadows > TOO_DARK_ABOVE;
  const tooBright = quality.highlights > TOO_BRIGHT_ABOVE;
  if (tooDark) found.push('too_dark');
  if (tooBright) found.push('too_bright');
  // Clipped shadows or highlights squeeze the tones too: the light is what to fix, not a haze on the lens.
  if (quality.contrast < LOW_CONTRAST_BELOW && !tooDark && !tooBright) found.push('low_contrast');
  if (photoPixels < MIN_PIXELS) found.push('too_small');
  return found;
}

/** The size of the copy measured: the photo scaled so its long side is QUALITY_SIDE (never enlarged). */
export function measuredSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, QUALITY_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Each luma level's light, 0..1: the sRGB curve undone. */
const LINEAR_LIGHT = Float64Array.from({ length: 256 }, (_, level) => {
  const v = level / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

function michelson(dark: number, light: number): number {
  return light + dark > 0 ? (light - dark) / (light + dark) : 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
