// Hand-built ICC v2 display profiles (matrix and curves), for photos in colour spaces no fixture carries:
// Adobe RGB as cameras embed it, and near-sRGB variants the sRGB test must tell apart.

/** D50-adapted colorants (XYZ of each primary at full intensity), as ICC stores them. */
export type Colorants = { r: [number, number, number]; g: [number, number, number]; b: [number, number, number] };

export const SRGB_COLORANTS: Colorants = { r: [0.4361, 0.2225, 0.0139], g: [0.3851, 0.7169, 0.0971], b: [0.1431, 0.0606, 0.7141] };
/** Adobe RGB (1998), Bradford-adapted to D50. */
export const ADOBE_RGB_COLORANTS: Colorants = { r: [0.6097, 0.3111, 0.0195], g: [0.2053, 0.6257, 0.0609], b: [0.1492, 0.0632, 0.7446] };
/** Adobe RGB's tone curve: gamma 563/256. */
export const ADOBE_RGB_GAMMA = 563 / 256;

export type ToneCurve = { gamma: number } | { srgbParametric: true } | { table: number[] };

const fixed = (value: number) => Math.round(value * 65536);

function tagData(type: string, body: Buffer): Buffer {
  const data = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.alloc(4), body]);
  return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

function xyz([x, y, z]: [number, number, number]): Buffer {
  const body = Buffer.alloc(12);
  body.writeInt32BE(fixed(x), 0);
  body.writeInt32BE(fixed(y), 4);
  body.writeInt32BE(fixed(z), 8);
  return tagData('XYZ ', body);
}

function curve(tone: ToneCurve): Buffer {
  if ('gamma' in tone) {
    const body = Buffer.alloc(6);
    body.writeUInt32BE(1, 0);
    body.writeUInt16BE(Math.round(tone.gamma * 256), 4);
    return tagData('curv', body);
  }
  if ('table' in tone) {
    const body = Buffer.alloc(4 + tone.table.length * 2);
    body.writeUInt32BE(tone.table.length, 0);
    tone.table.forEach((v, i) => body.writeUInt16BE(Math.round(v * 65535), 4 + i * 2));
    return tagData('curv', body);
  }
  // sRGB's own curve as ICC v4 writes it: type 3, (ax + b)^g above d, cx below.
  const body = Buffer.alloc(4 + 5 * 4);
  body.writeUInt16BE(3, 0);
  [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045].forEach((v, i) => body.writeInt32BE(fixed(v), 4 + i * 4));
  return tagData('para', body);
}

function description(text: string): Buffer {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const count = Buffer.alloc(4);
  count.writeUInt32BE(ascii.length, 0);
  // ASCII, then empty Unicode and ScriptCode parts.
  return tagData('desc', Buffer.concat([count, ascii, Buffer.alloc(4 + 4 + 2 + 1 + 67)]));
}

/** A display-class RGB profile with the given colorants and one tone curve for all three channels. */
export function rgbProfile(name: string, colorants: Colorants, tone: ToneCurve, extraTags: Record<string, Buffer> = {}): Buffer {
  const tags: [string, Buffer][] = [
    ['desc', description(name)],
    ['wtpt', xyz([0.9642, 1, 0.8249])],
    ['rXYZ', xyz(colorants.r)],
    ['gXYZ', xyz(colorants.g)],
    ['bXYZ', xyz(colorants.b)],
    ['rTRC', curve(tone)],
    ['gTRC', curve(tone)],
    ['bTRC', curve(tone)],
    ['cprt', tagData('text', Buffer.from('No copyright, test profile\0', 'latin1'))],
    ...Object.entries(extraTags),
  ];
  const tableBytes = 4 + tags.length * 12;
  const header = Buffer.alloc(128);
  const table = Buffer.alloc(tableBytes);
  table.writeUInt32BE(tags.length, 0);
  let offset = 128 + tableBytes;
  tags.forEach(([signature, data], i) => {
    table.write(signature, 4 + i * 12, 'latin1');
    table.writeUInt32BE(offset, 8 + i * 12);
    table.writeUInt32BE(data.length, 12 + i * 12);
    offset += data.length;
  });
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntrRGB XYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  header.writeInt32BE(fixed(0.9642), 68);
  header.writeInt32BE(fixed(1), 72);
  header.writeInt32BE(fixed(0.8249), 76);
  return Buffer.concat([header, table, ...tags.map(([, data]) => data)]);
}
