// Photo quality at capture: is the photo sharp, well exposed, contrasted and large enough for a specialist to
// judge? Measured on the pixels of a small copy (its long side QUALITY_SIDE px): the server on the thumbnail it
// makes anyway, the browser on a canvas of the chosen file before sending, with this same code (the bundler
// inlines this file's text for the web app and the follow-up page), so both say the same thing.
// No Node or DOM APIs here. The thresholds are chosen on the labelled set of `npm run bench:quality`.

/** The long side, in px, of the copy the measures are taken on (the thumbnail's size). */
export const QUALITY_SIDE = 512;

export const QUALITY_WARNINGS = ['blurry', 'too_dark', 'too_bright', 'low_contrast', 'too_small'] as const;
export type QualityWarning = (typeof QUALITY_WARNINGS)[number];

export interface PhotoQuality {
  /** Fine detail against the tonal spread: the Laplacian's standard deviation over the luma's (0 = none). */
  sharpness: number;
  /** Mean luma, 0 (black) .. 1 (white). */
  exposure: number;
  /** The spread of the middle 90 % of tones (5th to 95th percentile of luma), 0 .. 1. */
  contrast: number;
  /** Share of pixels in deep shadow (luma below SHADOW_LUMA). */
  shadows: number;
  /** Share of pixels with a colour channel at its maximum (blown out). */
  highlights: number;
  warnings: QualityWarning[];
}

/** Below this, too little fine detail for the size (see bench:quality for how it was chosen). */
export const BLURRY_BELOW = 0.15;
/** Luma (0..255) below which a pixel is in deep shadow. */
export const SHADOW_LUMA = 40;
/** Share of the picture in deep shadow above which it is too dark ("most of the picture"). */
export const TOO_DARK_ABOVE = 0.5;
/** A channel value at or above which it is at its maximum (JPEG rounding keeps blown areas a little under 255). */
export const CLIPPED_CHANNEL = 250;
/** Share of the picture blown out above which it is too bright ("large areas"). */
export const TOO_BRIGHT_ABOVE = 0.25;
/** Tone spread (5th-95th percentile, 0..1) below which the picture has too little contrast. */
export const LOW_CONTRAST_BELOW = 0.3;
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
    contrast: round((percentile(0.95) - percentile(0.05)) / 255),
    shadows: round(shadowPixels / count),
    highlights: round(blown / count),
  };
  return { ...quality, warnings: warningsOf(quality, photoWidth * photoHeight) };
}

/** The warnings the measures give, in QUALITY_WARNINGS order. */
export function warningsOf(quality: Omit<PhotoQuality, 'warnings'>, photoPixels: number): QualityWarning[] {
  const found: QualityWarning[] = [];
  if (quality.sharpness < BLURRY_BELOW) found.push('blurry');
  if (quality.shadows > TOO_DARK_ABOVE) found.push('too_dark');
  if (quality.highlights > TOO_BRIGHT_ABOVE) found.push('too_bright');
  if (quality.contrast < LOW_CONTRAST_BELOW) found.push('low_contrast');
  if (photoPixels < MIN_PIXELS) found.push('too_small');
  return found;
}

/** The size of the copy measured: the photo scaled so its long side is QUALITY_SIDE (never enlarged). */
export function measuredSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, QUALITY_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
