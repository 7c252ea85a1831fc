import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findMetadata } from '../../../src/photos/inspect.js';
import { sniffImageType } from '../../../src/photos/sniff.js';
import { fixture, insertAfterHeader, jpegSegment, plainJpeg } from '../../helpers/images.js';

async function kindsIn(file: string): Promise<string[]> {
  const input = fixture(file);
  return findMetadata(input, sniffImageType(input));
}

describe('findMetadata', () => {
  it('reports everything the all-metadata JPEG carries', async () => {
    const kinds = await kindsIn('jpeg-all-metadata-orient6.jpg');
    expect(kinds).toEqual(expect.arrayContaining(['comment', 'exif', 'gps', 'iptc', 'photoshop', 'thumbnail', 'xmp']));
  });

  it('reports bytes after the JPEG end marker as a trailer', async () => {
    expect(await kindsIn('jpeg-trailer-after-eoi.jpg')).toContain('trailer');
  });

  it('reports PNG text, eXIf GPS, XMP and bytes after IEND', async () => {
    expect(await kindsIn('png-text-chunks.png')).toEqual(expect.arrayContaining(['exif', 'gps', 'text', 'trailer', 'xmp']));
  });

  it('reports WebP EXIF (with GPS) and XMP chunks', async () => {
    expect(await kindsIn('webp-exif-xmp.webp')).toEqual(expect.arrayContaining(['exif', 'gps', 'xmp']));
  });

  it('reports identifying TIFF IFD0 tags and GPS', async () => {
    expect(await kindsIn('tiff-ifd0-tags.tif')).toEqual(expect.arrayContaining(['exif', 'gps']));
  });

  it('reports the iPhone HEIC GPS, maker notes and colour profile', async () => {
    expect(await kindsIn('real/IMG_5195.HEIC')).toEqual(expect.arrayContaining(['exif', 'gps', 'icc', 'makernote', 'xmp']));
  });

  it('reports camera maker notes and the EXIF thumbnail', async () => {
    expect(await kindsIn('real/DSCN0010.jpg')).toEqual(expect.arrayContaining(['exif', 'gps', 'makernote', 'thumbnail']));
    expect(await kindsIn('real/22-canon_tags.jpg')).toEqual(expect.arrayContaining(['makernote', 'thumbnail']));
  });

  it('does not fail on malformed metadata', async () => {
    await expect(kindsIn('real/image00971.jpg')).resolves.toContain('xmp');
    const brokenExif = insertAfterHeader(await plainJpeg(), jpegSegment(0xe1, Buffer.from('Exif\0\0MM\0*\xff\xff\xff\xff', 'latin1')));
    await expect(findMetadata(brokenExif, 'jpeg')).resolves.toContain('exif');
  });

  it('returns sorted, unique kinds', async () => {
    const kinds = await kindsIn('jpeg-all-metadata-orient6.jpg');
    expect(kinds).toEqual([...new Set(kinds)].sort());
  });

  it('reports nothing for a bare JPEG', async () => {
    expect(await findMetadata(await plainJpeg(), 'jpeg')).toEqual([]);
  });

  it('reports an ICC profile', async () => {
    const withIcc = await sharp(await plainJpeg()).withIccProfile('p3').jpeg().toBuffer();
    expect(await findMetadata(withIcc, 'jpeg')).toContain('icc');
  });
});
