import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { VerificationError, verifyJpegStructure, verifySanitizedJpeg } from '../../../src/photos/verify.js';
import { fixture, insertAfterHeader, jfifSegment, jpegSegment, plainJpeg } from '../../helpers/images.js';

describe('verifySanitizedJpeg', () => {
  it('accepts a bare JPEG as sharp encodes it', async () => {
    await expect(verifySanitizedJpeg(await plainJpeg())).resolves.toBeUndefined();
  });

  it('accepts a progressive JPEG (several scans with tables between them)', async () => {
    const progressive = await sharp(await plainJpeg(64, 64)).jpeg({ progressive: true }).toBuffer();
    await expect(verifySanitizedJpeg(progressive)).resolves.toBeUndefined();
  });

  it('accepts restart markers and stuffed 0xFF bytes inside the entropy-coded data', async () => {
    const base = await plainJpeg(64, 64);
    const inScan = Buffer.from([0xff, 0xd0, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd7]);
    const withRst = Buffer.concat([base.subarray(0, base.length - 2), inScan, base.subarray(base.length - 2)]);
    expect(() => verifyJpegStructure(withRst)).not.toThrow();
  });

  it('rejects a comment hidden between the last scan and EOI', async () => {
    const base = await plainJpeg(64, 64);
    const hidden = Buffer.concat([base.subarray(0, base.length - 2), jpegSegment(0xfe, Buffer.from('MRN 0042')), base.subarray(base.length - 2)]);
    expect(() => verifyJpegStructure(hidden)).toThrow(VerificationError);
  });

  it('rejects an EXIF APP1 segment', async () => {
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from('II*\0\x08\0\0\0\0\0', 'latin1')]);
    const tampered = insertAfterHeader(await plainJpeg(), jpegSegment(0xe1, exif));
    await expect(verifySanitizedJpeg(tampered)).rejects.toThrow(/0xe1/);
  });

  it('rejects a COM segment', async () => {
    const tampered = insertAfterHeader(await plainJpeg(), jpegSegment(0xfe, Buffer.from('John Doe')));
    await expect(verifySanitizedJpeg(tampered)).rejects.toBeInstanceOf(VerificationError);
  });

  it('rejects an ICC APP2 segment', async () => {
    const tampered = insertAfterHeader(await plainJpeg(), jpegSegment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01', 'latin1')));
    await expect(verifySanitizedJpeg(tampered)).rejects.toBeInstanceOf(VerificationError);
  });

  it('rejects bytes after EOI', async () => {
    const tampered = Buffer.concat([await plainJpeg(), Buffer.from('PATIENT John Doe')]);
    await expect(verifySanitizedJpeg(tampered)).rejects.toThrow(/after EOI/);
  });

  it('accepts one JFIF APP0 without a thumbnail', async () => {
    await expect(verifySanitizedJpeg(insertAfterHeader(await plainJpeg(), jfifSegment()))).resolves.toBeUndefined();
  });

  it('rejects a JFIF header that carries a thumbnail', async () => {
    const tampered = insertAfterHeader(await plainJpeg(), jfifSegment(2, 2));
    await expect(verifySanitizedJpeg(tampered)).rejects.toThrow(/JFIF/);
  });

  it('rejects a second APP0', async () => {
    const tampered = insertAfterHeader(insertAfterHeader(await plainJpeg(), jfifSegment()), jfifSegment());
    await expect(verifySanitizedJpeg(tampered)).rejects.toThrow(/JFIF/);
  });

  it('rejects a JPEG cut before its EOI', async () => {
    const base = await plainJpeg();
    await expect(verifySanitizedJpeg(base.subarray(0, base.length - 10))).rejects.toBeInstanceOf(VerificationError);
  });

  it('rejects an upload full of metadata, had it slipped through unchanged', async () => {
    await expect(verifySanitizedJpeg(fixture('jpeg-all-metadata-orient6.jpg'))).rejects.toBeInstanceOf(VerificationError);
  });

  it('rejects a non-JPEG', async () => {
    const png = await sharp(await plainJpeg()).png().toBuffer();
    await expect(verifySanitizedJpeg(png)).rejects.toBeInstanceOf(VerificationError);
  });

  it('rejects a JPEG that sharp wrote with metadata kept', async () => {
    const withMeta = await sharp(await plainJpeg()).withExif({ IFD0: { Artist: 'Jane Roe' } }).jpeg().toBuffer();
    await expect(verifySanitizedJpeg(withMeta)).rejects.toBeInstanceOf(VerificationError);
  });
});
