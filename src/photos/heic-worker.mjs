// Worker thread that decodes HEIC/HEIF to RGBA with libheif (compiled to WASM, the decoder heic-decode
// wraps), used directly so that the pixels can land at an offset the caller reserves: the main thread
// then writes a container header in front of them instead of copying 30+ MB into a new buffer.
// Plain JS on purpose: it must load the same way under tsx, vitest and compiled output.

import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const libheif = createRequire(import.meta.url)('libheif-js/wasm-bundle');

// libheif-js prints its internal errors with console.*, which would reach the server's
// stdout around the structured logger; a failure is reported back in the reply instead.
for (const method of ['log', 'info', 'warn', 'error', 'debug']) console[method] = () => {};

async function decodeOne(bytes, headRoom) {
  await libheif.ready;
  const decoder = new libheif.HeifDecoder();
  const images = decoder.decode(bytes);
  try {
    if (images.length === 0) throw new Error('no image in the HEIF file');
    // The first top-level image, as heic-decode takes it; libheif applies irot/imir when displaying.
    const image = images[0];
    const width = image.get_width();
    const height = image.get_height();
    const buffer = new ArrayBuffer(headRoom + width * height * 4);
    const pixels = new Uint8ClampedArray(buffer, headRoom, width * height * 4);
    await new Promise((resolve, reject) => {
      image.display({ data: pixels, width, height }, (done) => (done ? resolve() : reject(new Error('HEIF processing error'))));
    });
    return { width, height, buffer };
  } finally {
    for (const image of images) image.free();
    decoder.decoder?.delete();
  }
}

// One decode at a time: each holds width*height*4 bytes of WASM memory.
let queue = Promise.resolve();

parentPort.on('message', ({ id, input, headRoom }) => {
  queue = queue.then(async () => {
    try {
      const { width, height, buffer } = await decodeOne(new Uint8Array(input), headRoom);
      parentPort.postMessage({ id, width, height, data: buffer }, [buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
