import { describe, expect, it } from 'vitest';
import { UnsupportedMediaTypeError } from '../../../src/errors.js';
import { readFtypBrands, sniffImageType } from '../../../src/photos/sniff.js';
import { fixture } from '../../helpers/images.js';

function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size + 16);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + i * 4, 'latin1'));
  return box;
}

describe('sniffImageType', () => {
  it('recognises each accepted fixture from its bytes, whatever its name says', () => {
    expect(sniffImageType(fixture('orient-1.jpg'))).toBe('jpeg');
    expect(sniffImageType(fixture('png-text-chunks.png'))).toBe('png');
    expect(sniffImageType(fixture('webp-exif-xmp.webp'))).toBe('webp');
    expect(sniffImageType(fixture('tiff-ifd0-tags.tif'))).toBe('tiff');
    expect(sniffImageType(fixture('real/IMG_5195.HEIC'))).toBe('heic');
  });

  it('recognises TIFF in both byte orders', () => {
    expect(sniffImageType(Buffer.from('II*\0\x08\0\0\0', 'latin1'))).toBe('tiff');
    expect(sniffImageType(Buffer.from('MM\0*\0\0\0\x08', 'latin1'))).toBe('tiff');
  });

  it.each(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])('treats the %s brand as HEIF', (brand) => {
    expect(sniffImageType(ftyp(brand, 'mif1'))).toBe('heic');
  });

  it('treats mif1 files that declare an AV1 brand as AVIF, not HEIC', () => {
    expect(sniffImageType(ftyp('mif1', 'avif', 'miaf'))).toBe('avif');
    expect(sniffImageType(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffImageType(ftyp('avis', 'msf1'))).toBe('avif');
  });

  it('reads the major and compatible brands of an ftyp box', () => {
    expect(readFtypBrands(ftyp('heic', 'mif1', 'heic'))).toEqual(['heic', 'mif1', 'heic']);
    expect(readFtypBrands(Buffer.from('not an ftyp box at all'))).toBeNull();
  });

  it('refuses ISO-BMFF files that are not still images (an MP4 video)', () => {
    expect(() => sniffImageType(ftyp('isom', 'mp41'))).toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    ['html-named-jpg.jpg'],
    ['script.svg'],
    ['pdf-named-png.png'],
    ['gif-with-appended-html.gif'],
    ['empty.jpg'],
  ])('refuses %s with 415', (file) => {
    let caught: unknown;
    try {
      sniffImageType(fixture(file));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((caught as UnsupportedMediaTypeError).statusCode).toBe(415);
  });

  it('does not take a lone JPEG SOI or a PNG prefix for an image', () => {
    expect(() => sniffImageType(Buffer.from([0xff, 0xd8]))).toThrow(UnsupportedMediaTypeError);
    expect(() => sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toThrow(UnsupportedMediaTypeError);
  });
});
