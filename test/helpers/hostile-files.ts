// Builders of hostile photos, for the tests and for `npm run bench:hostile`: small files that cost a
// naive pipeline gigabytes or minutes (decompression bombs in metadata chunks, progressive JPEGs with
// thousands of scans, huge-but-plausible WebPs). Each is built in memory in about a second.
import zlib from 'node:zlib';
import sharp from 'sharp';

const MiB = 1024 * 1024;

/**
 * A zlib stream that inflates to `total` zero bytes, built without compressing them: one deflate
 * segment of 1 MiB of zeros, ended by a full flush (byte-aligned, no back-reference across it), is
 * repeated, then closed by an empty final block and the Adler-32 of the zeros (a = 1, b = n mod 65521).
 */
export function zlibZeros(total: number): Buffer {
  const segment = (bytes: number) => zlib.deflateRawSync(Buffer.alloc(bytes), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const whole = Math.floor(total / MiB);
  const parts: Buffer[] = [Buffer.from([0x78, 0xda])];
  const oneMiB = segment(MiB);
  for (let i = 0; i < whole; i++) parts.push(oneMiB);
  if (total % MiB) parts.push(segment(total % MiB));
  parts.push(Buffer.from([0x03, 0x00])); // final fixed-Huffman block holding only end-of-block
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((total % 65521) * 65536) + 1) >>> 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** A small valid RGB PNG with `extra` chunks placed before its image data (or after it, `after: true`). */
export function pngWith(extra: Buffer[], options: { width?: number; height?: number; after?: boolean } = {}): Buffer {
  const width = options.width ?? 64;
  const height = options.height ?? 48;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([200, 120 + (x % 40), 90 + (y % 40)], y * (width * 3 + 1) + 1 + x * 3);
  const idat = pngChunk('IDAT', zlib.deflateSync(rows));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(options.after ? [idat, ...extra] : [...extra, idat]),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A PNG whose header says width x height and whose image data is not a zlib stream at all: refused as too
 * large from its header, it never gets as far as the decoder, which would call it corrupt.
 */
export function pngHeaderOverGarbage(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.alloc(4096, 0xff)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** iCCP: profile name, NUL, compression method 0, then the zlib stream. */
export function pngIccpBomb(inflatedBytes: number): Buffer {
  return pngWith([pngChunk('iCCP', Buffer.concat([Buffer.from('bomb\0\0', 'latin1'), zlibZeros(inflatedBytes)]))]);
}

/** zTXt: keyword, NUL, compression method 0, compressed text. */
export function pngZtxtBomb(inflatedBytes: number): Buffer {
  return pngWith([pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), zlibZeros(inflatedBytes)]))], { after: true });
}

/** iTXt: keyword, NUL, compression flag 1, method 0, language tag NUL, translated keyword NUL, compressed text. */
export function pngItxtBomb(inflatedBytes: number): Buffer {
  return pngWith([pngChunk('iTXt', Buffer.concat([Buffer.from('Description\0\x01\0en\0\0', 'latin1'), zlibZeros(inflatedBytes)]))]);
}

/** Writes bits MSB first, with JPEG's byte stuffing (0xFF is followed by 0x00) and 1-bit padding. */
class EntropyWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private filled = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >>> i) & 1);
      if (++this.filled === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.filled = 0;
  }

  finish(): Buffer {
    if (this.filled > 0) this.write(0xff >>> this.filled, 8 - this.filled);
    return Buffer.from(this.bytes);
  }
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** DHT with one table: class (0 DC, 1 AC), id 0, and symbols given codes of length 1, 2, 3... */
function huffmanTable(tableClass: number, symbols: number[]): Buffer {
  const counts = Buffer.alloc(16);
  symbols.forEach((_, i) => counts[i]! += 1);
  return segment(0xc4, Buffer.concat([Buffer.from([tableClass << 4]), counts, Buffer.from(symbols)]));
}

/** The code of the i-th symbol of huffmanTable(): 0, 10, 110, ... (i + 1 bits). */
const codeOf = (i: number): [number, number] => [((1 << (i + 1)) - 2) >>> 0, i + 1];

/**
 * A progressive 3-component JPEG of a flat mid-grey image with `scans` scans, each a valid step of the
 * progression: one DC scan, then for each component and AC coefficient a first scan and up to 13
 * refinement scans. Every coefficient is zero, so each scan is a few end-of-band runs (32767 blocks
 * each): the file stays small (hundreds of KB at 100 MP) while a decoder walks every block of the
 * image once per scan. Written by hand because jpegtran's scan scripts stop at 100 scans.
 */
export function progressiveJpegWithScans(width: number, height: number, scans: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const sof = Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8]), segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])), segment(0xc2, sof)];

  // DC: every difference is 0 (category 0, symbol 0x00), one bit per block, the three components interleaved.
  parts.push(huffmanTable(0, [0x00]));
  parts.push(segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0])));
  const dc = new EntropyWriter();
  for (let i = 0; i < blocks * 3; i++) dc.write(...codeOf(0));
  parts.push(dc.finish());

  // AC: end-of-band runs over all blocks; EOB14 (0xE0) takes 32767 blocks, the rest one EOBn.
  const rest = blocks % 32767;
  const restBits = rest > 0 ? Math.floor(Math.log2(rest)) : 0;
  parts.push(huffmanTable(1, rest > 0 ? [0xe0, restBits << 4] : [0xe0]));
  const ac = new EntropyWriter();
  for (let i = 0; i < Math.floor(blocks / 32767); i++) {
    ac.write(...codeOf(0));
    ac.write(32767 - 16384, 14);
  }
  if (rest > 0) {
    ac.write(...codeOf(1));
    ac.write(rest - (1 << restBits), restBits);
  }
  const acData = ac.finish();
  let made = 1;
  for (let component = 1; component <= 3 && made < scans; component++) {
    for (let k = 1; k <= 63 && made < scans; k++) {
      for (let al = 13; al >= 0 && made < scans; al--) {
        const ah = al === 13 ? 0 : al + 1;
        parts.push(segment(0xda, Buffer.from([1, component, 0x00, k, k, (ah << 4) | al])), acData);
        made++;
      }
    }
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

/** Counts the SOS markers of a JPEG (scans), by walking its segments. */
export function countJpegScans(jpeg: Buffer): number {
  let scans = 0;
  for (let at = jpeg.indexOf(0xff); at >= 0 && at + 1 < jpeg.length; at = jpeg.indexOf(0xff, at + 1)) {
    if (jpeg[at + 1] === 0xda) scans++;
  }
  return scans;
}

/** A lossy WebP of the given size (flat colour, so it is small and quick to make), half transparent with `alpha`. */
export function flatWebp(width: number, height: number, alpha = false): Promise<Buffer> {
  return sharp({ create: { width, height, channels: alpha ? 4 : 3, background: { r: 200, g: 140, b: 120, alpha: alpha ? 0.5 : 1 } }, limitInputPixels: false })
    .webp({ quality: 80, effort: 0 })
    .toBuffer();
}
