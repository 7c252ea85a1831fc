// Photo quality at capture, in the browser: a chosen file is measured before it is sent, with the server's own
// measure (src/photos/quality.ts, inlined by the bundler as virtual:photo-quality), so that both warn alike.
import { measuredSize, measureQuality } from 'virtual:photo-quality';

/**
 * The quality of a photo the person chose, or null when this browser cannot decode it (HEIC in Chromium and
 * Firefox): the server measures it anyway once sent.
 * @param {Blob} file
 * @returns {Promise<import('virtual:photo-quality').PhotoQuality | null>}
 */
export async function measureFile(file) {
  /** @type {ImageBitmap} */
  let bitmap;
  try {
    // Upright, as the server turns it before measuring. Decoding at the measured size would need the size
    // first; an <img> could give it, but would cost a second decode on browsers that do not scale on decode.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  const photoWidth = bitmap.width;
  const photoHeight = bitmap.height;
  const { width, height } = measuredSize(photoWidth, photoHeight);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  try {
    // Read back once, so kept in memory rather than on the GPU.
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    // Transparent areas are measured as the white the server flattens them onto.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    // A 12 MP photo's pixels (48 MB) are let go before the small copy is read.
    bitmap.close();
    const { data } = context.getImageData(0, 0, width, height);
    return measureQuality(data, width, height, 4, photoWidth, photoHeight);
  } finally {
    bitmap.close();
    // Safari keeps a canvas's pixels until it is collected; a phone has little memory for canvases.
    canvas.width = 0;
    canvas.height = 0;
  }
}
