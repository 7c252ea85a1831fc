// Does an ICC profile describe sRGB? Decided from what a colour engine would compute with it, not from its
// name: its colorants (the primaries, adapted to D50 as ICC stores them) and its tone curves must be
// sRGB's. A photo in such a profile may be stored untagged, since untagged means sRGB to every viewer; any
// other profile (Display P3 from iPhones, Adobe RGB from cameras) needs its pixels converted.
//
// A profile is taken for sRGB only when its matrix and curves are the whole of it: one with lookup tables
// (A2B*/B2A*), which a colour engine would prefer to the matrix, is not, and neither is anything not read.

/** sRGB's colorants in the profile connection space (IEC 61966-2-1, Bradford-adapted to D50). */
const SRGB_COLORANTS: Record<string, readonly [number, number, number]> = {
  rXYZ: [0.4361, 0.2225, 0.0139],
  gXYZ: [0.3851, 0.7169, 0.0971],
  bXYZ: [0.1431, 0.0606, 0.7141],
};
/** Profiles round colorants to s15Fixed16 and adapt with slightly different matrices: ±0.003 covers them. */
const COLORANT_TOLERANCE = 0.003;
/**
 * Largest difference from sRGB's curve, measured as sRGB-encoded values: 1.5 of 255 levels, what a
 * 256-entry table may be off by. A plain gamma 2.2 is 4 levels off in the shadows, and is not sRGB.
 */
const CURVE_TOLERANCE = 1.5 / 255;
const CURVE_SAMPLES = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1];

const HEADER_BYTES = 128;

/** sRGB's encoding curve (IEC 61966-2-1): linear light to the value stored. */
function linearToSrgb(v: number): number {
  return v <= 0.0031308 ? v * 12.92 : 1.055 * v ** (1 / 2.4) - 0.055;
}

interface Tag {
  offset: number;
  size: number;
}

function readTags(icc: Buffer): Map<string, Tag> | null {
  if (icc.length < HEADER_BYTES + 4 || icc.readUInt32BE(0) > icc.length) return null;
  const count = icc.readUInt32BE(HEADER_BYTES);
  if (HEADER_BYTES + 4 + count * 12 > icc.length) return null;
  const tags = new Map<string, Tag>();
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + 4 + i * 12;
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    if (offset + size > icc.length || size < 8) return null;
    tags.set(icc.toString('latin1', at, at + 4), { offset, size });
  }
  return tags;
}

const s15Fixed16 = (icc: Buffer, at: number) => icc.readInt32BE(at) / 65536;

function colorant(icc: Buffer, tag: Tag | undefined): [number, number, number] | null {
  if (!tag || tag.size < 20 || icc.toString('latin1', tag.offset, tag.offset + 4) !== 'XYZ ') return null;
  return [0, 4, 8].map((d) => s15Fixed16(icc, tag.offset + 8 + d)) as [number, number, number];
}

/** The tone curve as a function on [0, 1], from a `curv` or `para` tag; null for anything else. */
function toneCurve(icc: Buffer, tag: Tag | undefined): ((x: number) => number) | null {
  if (!tag) return null;
  const type = icc.toString('latin1', tag.offset, tag.offset + 4);
  if (type === 'curv') {
    const count = icc.readUInt32BE(tag.offset + 8);
    if (tag.size < 12 + count * 2) return null;
    if (count === 0) return (x) => x;
    if (count === 1) {
      const gamma = icc.readUInt16BE(tag.offset + 12) / 256;
      return (x) => x ** gamma;
    }
    const entry = (i: number) => icc.readUInt16BE(tag.offset + 12 + i * 2) / 65535;
    return (x) => {
      const at = x * (count - 1);
      const i = Math.min(Math.floor(at), count - 2);
      return entry(i) + (entry(i + 1) - entry(i)) * (at - i);
    };
  }
  if (type === 'para') {
    const kind = icc.readUInt16BE(tag.offset + 8);
    const parameterCount = [1, 3, 4, 5, 7][kind];
    if (parameterCount === undefined || tag.size < 12 + parameterCount * 4) return null;
    const [g = 1, a = 1, b = 0, c = 0, d = 0, e = 0, f = 0] = Array.from({ length: parameterCount }, (_, i) => s15Fixed16(icc, tag.offset + 12 + i * 4));
    const power = (x: number) => Math.max(0, a * x + b) ** g;
    switch (kind) {
      case 0:
        return (x) => x ** g;
      case 1:
        return (x) => (x >= -b / a ? power(x) : 0);
      case 2:
        return (x) => (x >= -b / a ? power(x) + c : c);
      case 3:
        return (x) => (x >= d ? power(x) : c * x);
      default:
        return (x) => (x >= d ? power(x) + e : c * x + f);
    }
  }
  return null;
}

export function isSrgbProfile(icc: Buffer): boolean {
  const tags = readTags(icc);
  if (!tags) return false;
  if (icc.toString('latin1', 16, 20) !== 'RGB ' || icc.toString('latin1', 20, 24) !== 'XYZ ') return false;
  if ([...tags.keys()].some((signature) => /^(A2B|B2A|D2B|B2D)/.test(signature))) return false;

  for (const [signature, expected] of Object.entries(SRGB_COLORANTS)) {
    const actual = colorant(icc, tags.get(signature));
    if (!actual || actual.some((value, i) => Math.abs(value - expected[i]!) > COLORANT_TOLERANCE)) return false;
  }
  for (const signature of ['rTRC', 'gTRC', 'bTRC']) {
    const curve = toneCurve(icc, tags.get(signature));
    if (!curve || CURVE_SAMPLES.some((x) => !(Math.abs(linearToSrgb(Math.max(0, curve(x))) - x) <= CURVE_TOLERANCE))) return false;
  }
  return true;
}
