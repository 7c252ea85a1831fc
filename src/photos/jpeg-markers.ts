// Walks a JPEG's marker segments and entropy-coded data up to EOI. Shared by the inspector
// (what did the upload carry?) and the verifier (is our output only pixels?).

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF byte that starts the marker. */
  offset: number;
  /** The bytes after the 2-byte length field. */
  payload: Buffer;
}

export interface JpegLayout {
  segments: JpegSegment[];
  /** Offset of the EOI marker, or null when the data ends (or breaks) before it. */
  eoi: number | null;
  /** Why the walk stopped early, if it did. */
  problem: string | null;
}

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;

const isRst = (marker: number): boolean => marker >= 0xd0 && marker <= 0xd7;

/** SOF0..SOF15 (a frame header), except 0xC4 (DHT), 0xC8 (reserved JPG) and 0xCC (DAC). */
export const isSof = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export function walkJpeg(input: Buffer): JpegLayout {
  const segments: JpegSegment[] = [];
  const stop = (problem: string): JpegLayout => ({ segments, eoi: null, problem });
  if (input.length < 4 || input[0] !== 0xff || input[1] !== SOI) return stop('no SOI marker');

  let pos = 2;
  for (;;) {
    if (pos + 2 > input.length) return stop('data ends before EOI');
    if (input[pos] !== 0xff) return stop(`unexpected byte 0x${input[pos]!.toString(16)} at ${pos}`);
    let markerAt = pos;
    // Any number of 0xFF fill bytes may precede a marker.
    while (input[markerAt + 1] === 0xff) markerAt++;
    if (markerAt + 2 > input.length) return stop('data ends before EOI');
    const marker = input[markerAt + 1]!;
    pos = markerAt + 2;
    if (marker === EOI) return { segments, eoi: markerAt, problem: null };
    if (marker === SOI || marker === 0x00 || marker === 0x01 || isRst(marker)) {
      return stop(`marker 0x${marker.toString(16)} outside entropy data at ${markerAt}`);
    }
    if (pos + 2 > input.length) return stop('segment length missing');
    const length = input.readUInt16BE(pos);
    if (length < 2 || pos + length > input.length) return stop(`segment 0x${marker.toString(16)} overruns the data`);
    segments.push({ marker, offset: markerAt, payload: input.subarray(pos + 2, pos + length) });
    pos += length;

    if (marker === SOS) {
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or RSTn inside it; any
      // other marker ends the scan.
      for (;;) {
        const ff = input.indexOf(0xff, pos);
        if (ff < 0 || ff + 1 >= input.length) return stop('data ends inside entropy-coded data');
        const next = input[ff + 1]!;
        if (next === 0x00 || isRst(next)) {
          pos = ff + 2;
        } else if (next === 0xff) {
          pos = ff + 1;
        } else {
          pos = ff;
          break;
        }
      }
    }
  }
}
