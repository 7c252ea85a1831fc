// Worker thread that decodes the primary image of a HEIC/HEIF file to RGBA with libheif (compiled to WASM),
// with its transforms (rotation, mirror, clean aperture) applied, as libheif does by default. Used through
// libheif's C API rather than libheif-js's HeifDecoder: that one decodes the first top-level image, which is
// not always the primary one (a grid's first tile, an alternative), and it sizes its output from the item
// before its transforms. The pixels land at an offset the caller reserves, so that the main thread writes a
// container header in front of them instead of copying 30+ MB into a new buffer.
// Plain JS on purpose: it must load the same way under tsx, vitest and compiled output.
//
// Messages in: { type: 'decode', id, input, headRoom } and { type: 'cancel', id }.
// Messages out: { id, started: true } when a decode begins, then { id, width, height, data } or { id, error }.

import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const libheif = createRequire(import.meta.url)('libheif-js/wasm-bundle');

// libheif-js prints its internal errors with console.*, which would reach the server's
// stdout around the structured logger; a failure is reported back in the reply instead.
for (const method of ['log', 'info', 'warn', 'error', 'debug']) console[method] = () => {};

// Calls answer either their result or a heif_error { code, subcode, message }, code an embind enum value.
const failed = (result) => !result || (result.code !== undefined && result.code !== libheif.heif_error_code.heif_error_Ok);

async function decodePrimary(bytes, headRoom) {
  await libheif.ready;
  const context = libheif.heif_context_alloc();
  try {
    const read = libheif.heif_context_read_from_memory(context, bytes);
    if (failed(read)) throw new Error(`unreadable HEIF: ${read?.message ?? ''}`);
    const handle = libheif.heif_js_context_get_primary_image_handle(context);
    if (failed(handle)) throw new Error('no primary image');
    try {
      const image = await libheif.heif_js_decode_image2(handle, libheif.heif_colorspace.heif_colorspace_RGB, libheif.heif_chroma.heif_chroma_interleaved_RGBA);
      if (failed(image)) throw new Error(`decoding failed: ${image?.message ?? ''}`);
      try {
        const plane = image.channels.find((channel) => channel.id === libheif.heif_channel.heif_channel_interleaved);
        if (!plane) throw new Error('no interleaved plane');
        const { width, height, stride, data } = plane;
        const rowBytes = width * 4;
        const buffer = new ArrayBuffer(headRoom + rowBytes * height);
        const pixels = new Uint8Array(buffer, headRoom);
        if (stride === rowBytes) pixels.set(data.subarray(0, rowBytes * height));
        else for (let y = 0; y < height; y++) pixels.set(data.subarray(y * stride, y * stride + rowBytes), y * rowBytes);
        return { width, height, buffer };
      } finally {
        libheif.heif_image_release(image.image);
      }
    } finally {
      libheif.heif_image_handle_release(handle);
    }
  } finally {
    libheif.heif_context_free(context);
  }
}

// One decode at a time: each holds width*height*4 bytes of WASM memory. Jobs cancelled while they wait
// are dropped without being decoded.
let queue = Promise.resolve();
const cancelled = new Set();

parentPort.on('message', (message) => {
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  const { id, input, headRoom } = message;
  queue = queue.then(async () => {
    if (cancelled.delete(id)) return;
    parentPort.postMessage({ id, started: true });
    try {
      const { width, height, buffer } = await decodePrimary(new Uint8Array(input), headRoom);
      parentPort.postMessage({ id, width, height, data: buffer }, [buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
