// The one place sharp is configured for a server that opens untrusted photos: no operation
// cache, a pixel ceiling on every input, and decoding that fails on damaged data.

import os from 'node:os';
import sharp from 'sharp';
import type { Sharp, SharpOptions } from 'sharp';

// libvips' operation cache helps repeated work on the same image; an upload service
// never repeats, so the cache would only hold memory.
sharp.cache(false);

// On glibc without jemalloc sharp defaults to one libvips thread per image, to limit the allocator's
// fragmentation. The service bounds photos in flight (pipeline-slots.ts) and is started with
// MALLOC_ARENA_MAX=2 (package.json), so one photo may use every core: a lone upload finishes sooner.
sharp.concurrency(os.availableParallelism());

/**
 * Opens an untrusted input. `failOn: 'error'` refuses truncated or broken pixel data but not
 * the mere warnings that real camera files with odd EXIF produce (fixture image00971.jpg).
 */
export function openImage(input: Buffer, maxPixels: number, options: SharpOptions = {}): Sharp {
  return sharp(input, {
    failOn: 'error',
    limitInputPixels: maxPixels,
    sequentialRead: true,
    pages: 1,
    ...options,
  });
}

/** Opens our own encoder output, which is trusted and already within the limit. */
export function openOwnOutput(input: Buffer): Sharp {
  return sharp(input, { failOn: 'warning', sequentialRead: true });
}

export { sharp };
