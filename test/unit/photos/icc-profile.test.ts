import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isSrgbProfile } from '../../../src/photos/icc-profile.js';
import { ADOBE_RGB_COLORANTS, ADOBE_RGB_GAMMA, rgbProfile, SRGB_COLORANTS } from '../../helpers/icc.js';

const builtIn = async (name: 'srgb' | 'p3' | 'cmyk') => {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).withIccProfile(name).jpeg().toBuffer();
  return (await sharp(jpeg).metadata()).icc!;
};
const srgbCurveTable = Array.from({ length: 1024 }, (_, i) => {
  const v = i / 1023;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

describe('isSrgbProfile', () => {
  it('recognises sRGB by its colorants and curves, however the profile writes them', async () => {
    expect(isSrgbProfile(await builtIn('srgb'))).toBe(true);
    // The profile PDF writers embed (HP's sRGB IEC61966-2.1, a 1024-entry table).
    expect(isSrgbProfile(readFileSync(path.resolve('node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc')))).toBe(true);
    expect(isSrgbProfile(rgbProfile('sRGB v4', SRGB_COLORANTS, { srgbParametric: true }))).toBe(true);
    expect(isSrgbProfile(rgbProfile('renamed', SRGB_COLORANTS, { table: srgbCurveTable }))).toBe(true);
  });

  it('refuses other colour spaces, near misses and profiles it cannot fully read', async () => {
    expect(isSrgbProfile(await builtIn('p3'))).toBe(false);
    expect(isSrgbProfile(await builtIn('cmyk'))).toBe(false);
    expect(isSrgbProfile(rgbProfile('Adobe RGB (1998)', ADOBE_RGB_COLORANTS, { gamma: ADOBE_RGB_GAMMA }))).toBe(false);
    // Named sRGB, but a plain gamma 2.2 (4 levels darker in the shadows) or a linear curve.
    expect(isSrgbProfile(rgbProfile('sRGB', SRGB_COLORANTS, { gamma: 2.2 }))).toBe(false);
    expect(isSrgbProfile(rgbProfile('sRGB', SRGB_COLORANTS, { table: [] }))).toBe(false);
    // sRGB's matrix beside lookup tables that a colour engine would use instead.
    expect(isSrgbProfile(rgbProfile('sRGB', SRGB_COLORANTS, { srgbParametric: true }, { A2B0: Buffer.from('mft2\0\0\0\0') }))).toBe(false);
    const srgb = await builtIn('srgb');
    expect(isSrgbProfile(srgb.subarray(0, 200))).toBe(false);
    expect(isSrgbProfile(Buffer.alloc(0))).toBe(false);
    expect(isSrgbProfile(Buffer.alloc(600, 0xff))).toBe(false);
  });
});
