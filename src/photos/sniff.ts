// Recognises an upload's real type from its first bytes. The file name and the part's
// content type are client claims and are never consulted.

import { UnsupportedMediaTypeError } from '../errors.js';

export type SourceType = 'jpeg' | 'png' | 'webp' | 'tiff' | 'heic' | 'avif';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** Major and compatible brands of an ISO-BMFF `ftyp` box at the start of the file, or null. */
export function readFtypBrands(input: Buffer): string[] | null {
  if (input.length < 16 || input.toString('latin1', 4, 8) !== 'ftyp') return null;
  const size = input.readUInt32BE(0);
  // A real ftyp holds a major brand, a minor version and whole 4-byte compatible brands.
  if (size < 16 || size > input.length || size % 4 !== 0) return null;
  const brands = [input.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= size; offset += 4) brands.push(input.toString('latin1', offset, offset + 4));
  return brands;
}

export function sniffImageType(input: Buffer): SourceType {
  if (input.length >= 3 && input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff) return 'jpeg';
  if (input.length >= 8 && input.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (input.length >= 12 && input.toString('latin1', 0, 4) === 'RIFF' && input.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (input.length >= 4) {
    const head = input.toString('latin1', 0, 4);
    // Classic TIFF only: BigTIFF (43) is not something a camera or dermatoscope exports.
    if (head === 'II*\0' || head === 'MM\0*') return 'tiff';
  }
  const brands = readFtypBrands(input);
  if (brands) {
    // AVIF files commonly declare mif1 as well, so the AV1 brands must win over mif1.
    if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
    if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'heic';
  }
  throw new UnsupportedMediaTypeError();
}
