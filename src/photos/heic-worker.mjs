// Worker thread that decodes HEIC/HEIF to RGBA with heic-decode (libheif compiled to WASM).
// Plain JS on purpose: it must load the same way under tsx, vitest and compiled output.

import { parentPort } from 'node:worker_threads';
import decode from 'heic-decode';

// libheif-js prints its internal errors with console.*, which would reach the server's
// stdout around the structured logger; a failure is reported back in the reply instead.
for (const method of ['log', 'info', 'warn', 'error', 'debug']) console[method] = () => {};

// heic-decode only accepts these major brands although libheif reads others (heim, heis...);
// the sniffer has already established that the file is HEIF.
const DECODER_BRANDS = new Set(['mif1', 'msf1', 'heic', 'heix', 'hevc', 'hevx']);

async function decodeOne(bytes) {
  const major = Buffer.from(bytes.buffer, bytes.byteOffset + 8, 4).toString('latin1');
  if (!DECODER_BRANDS.has(major)) bytes.set([0x6d, 0x69, 0x66, 0x31], 8); // 'mif1'
  const { width, height, data } = await decode({ buffer: bytes });
  return { width, height, data };
}

// One decode at a time: each holds width*height*4 bytes of WASM memory.
let queue = Promise.resolve();

parentPort.on('message', ({ id, input }) => {
  queue = queue.then(async () => {
    try {
      const { width, height, data } = await decodeOne(new Uint8Array(input));
      parentPort.postMessage({ id, width, height, data: data.buffer }, [data.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
