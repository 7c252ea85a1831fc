// Synthetic, obviously invented "lesion photos" for the demo network: skin of a chosen Fitzpatrick type with
// lighting, mottling and sensor noise, a drawn lesion (macule, plaque, rash, ulcer, papules, nodule or a
// sutured wound), and sometimes a millimetre ruler. Deterministic from a seed; no real patient ever sat for one.
import sharp, { type OverlayOptions } from 'sharp';
import { prng } from '../prng.js';

export type FitzpatrickType = 1 | 2 | 3 | 4 | 5 | 6;
export const LESION_KINDS = ['pigmented-macule', 'plaque', 'blotch', 'ulcer', 'papules', 'nodule', 'suture-line'] as const;
export type LesionKind = (typeof LESION_KINDS)[number];
export type PhotoView = 'overview' | 'closeup' | 'dermoscopy';

export interface LesionPhotoSpec {
  seed: number;
  fitzpatrick: FitzpatrickType;
  lesion: LesionKind;
  /** overview: small lesion with a drape at the edge; closeup: fills a third of the frame; dermoscopy: round field. */
  view?: PhotoView;
  /** A millimetre ruler along the bottom edge. */
  ruler?: boolean;
  /** 0 (as first seen) .. 1 (healed): for follow-up photos, less redness, sutures gone. */
  healing?: number;
  width?: number;
  height?: number;
}

type Rgb = readonly [number, number, number];

/** Plausible sRGB tones for Fitzpatrick types I..VI (chosen by eye; a demo, not a colour reference). */
export const SKIN_TONES: Record<FitzpatrickType, Rgb> = {
  1: [246, 221, 204],
  2: [236, 196, 166],
  3: [214, 164, 124],
  4: [178, 125, 86],
  5: [136, 88, 57],
  6: [88, 57, 40],
};

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const css = (c: Rgb) => `rgb(${Math.round(clamp(c[0]))},${Math.round(clamp(c[1]))},${Math.round(clamp(c[2]))})`;
const f1 = (n: number) => n.toFixed(1);

interface Palette {
  skin: Rgb;
  /** Redness: red on light skin, violet-brown on dark skin, where erythema looks darker rather than red. */
  erythema: Rgb;
  deepErythema: Rgb;
  pigmentLight: Rgb;
  pigmentDark: Rgb;
  pigmentBlue: Rgb;
  scale: Rgb;
  fibrin: Rgb;
  pearl: Rgb;
}

function paletteFor(type: FitzpatrickType): Palette {
  const skin = SKIN_TONES[type];
  const dark = (type - 1) / 5;
  return {
    skin,
    erythema: mix(mix(skin, [214, 78, 84], 0.55), mix(skin, [82, 34, 48], 0.45), dark),
    deepErythema: mix(mix(skin, [170, 40, 52], 0.7), mix(skin, [54, 22, 34], 0.6), dark),
    pigmentLight: mix(skin, [120, 74, 44], 0.55),
    pigmentDark: mix(skin, [46, 28, 20], 0.8),
    pigmentBlue: mix(skin, [62, 66, 92], 0.7),
    scale: mix(skin, [240, 236, 230], 0.75),
    fibrin: mix(skin, [214, 190, 128], 0.6),
    // Pearly translucency reads as a paler sheen on light skin, a subtler one on dark skin.
    pearl: mix(skin, [250, 226, 224], 0.45 - 0.2 * dark),
  };
}

/** A closed blob around (cx, cy): radius modulated by a few random harmonics; `roughness` 0 is a circle. */
function blobPath(rand: () => number, cx: number, cy: number, rx: number, ry: number, roughness: number, rotation = 0): string {
  const harmonics = Array.from({ length: 6 }, (_, i) => ({ k: i + 2, a: (rand() * roughness) / (i + 1.5), phase: rand() * Math.PI * 2 }));
  const points: string[] = [];
  const steps = 96;
  for (let s = 0; s < steps; s++) {
    const theta = (s / steps) * Math.PI * 2;
    let r = 1;
    for (const h of harmonics) r += h.a * Math.sin(h.k * theta + h.phase);
    const x = Math.cos(theta) * rx * r;
    const y = Math.sin(theta) * ry * r;
    points.push(`${f1(cx + x * Math.cos(rotation) - y * Math.sin(rotation))},${f1(cy + x * Math.sin(rotation) + y * Math.cos(rotation))}`);
  }
  return `M${points.join('L')}Z`;
}

interface Geometry {
  width: number;
  height: number;
  cx: number;
  cy: number;
  /** Lesion radius in pixels. */
  r: number;
}

/**
 * SVG elements in painting order, each with the blur it gets. SVG filters are slow in librsvg at this size, so
 * a run of elements with the same blur is rendered as one layer, small when the blur is wide, then blurred and
 * enlarged by sharp (see renderLayers).
 */
class Drawing {
  readonly defs: string[] = [];
  readonly layers: { sigma: number; elements: string[] }[] = [];

  add(blur: number, element: string): void {
    // Below 1.5 px a blur is lost in the anti-aliasing anyway.
    const sigma = blur < 1.5 ? 0 : blur;
    const last = this.layers.at(-1);
    if (last && last.sigma === sigma) last.elements.push(element);
    else this.layers.push({ sigma, elements: [element] });
  }
}

/** The lesion, its look chosen from kind, palette and healing, then hairs and skin creases over it. */
function drawLesion(draw: Drawing, kind: LesionKind, p: Palette, g: Geometry, rand: () => number, healing: number, view: PhotoView): void {
  const { cx, cy, r } = g;
  const inflamed = 1 - healing;
  const crisp = Math.max(1, r * 0.012);
  const soft = r * 0.06 + 2;
  const softer = r * 0.22 + 4;

  switch (kind) {
    case 'pigmented-macule': {
      // Asymmetric, several browns, a notched border, a blue-grey area: the look that earns a dermoscopy.
      const rot = rand() * Math.PI;
      draw.add(crisp, `<path d="${blobPath(rand, cx, cy, r * 1.15, r * 0.9, 0.35, rot)}" fill="${css(p.pigmentLight)}" opacity="0.9"/>`);
      draw.add(soft, `<path d="${blobPath(rand, cx + r * 0.12, cy - r * 0.05, r * 0.75, r * 0.6, 0.45, rot)}" fill="${css(p.pigmentDark)}" opacity="0.85"/>`);
      draw.add(soft, `<path d="${blobPath(rand, cx - r * 0.3, cy + r * 0.2, r * 0.32, r * 0.26, 0.4, rot)}" fill="${css(p.pigmentBlue)}" opacity="0.55"/>`);
      for (let i = 0; i < 14; i++) {
        const a = rand() * Math.PI * 2;
        const d = r * (0.2 + rand() * 0.7);
        draw.add(0, `<circle cx="${f1(cx + Math.cos(a) * d)}" cy="${f1(cy + Math.sin(a) * d)}" r="${f1(r * (0.02 + rand() * 0.035))}" fill="${css(p.pigmentDark)}" opacity="0.8"/>`);
      }
      if (view === 'dermoscopy') {
        // A reticular pigment network, broken towards the edge.
        draw.defs.push(`<clipPath id="inside"><path d="${blobPath(prng(Math.floor(rand() * 1e9)), cx, cy, r * 1.1, r * 0.88, 0.3, rot)}"/></clipPath>`);
        const cell = r * 0.09;
        const lines: string[] = [];
        for (let y = cy - r * 1.3; y < cy + r * 1.3; y += cell) {
          for (let x = cx - r * 1.4; x < cx + r * 1.4; x += cell) {
            if (rand() < 0.18) continue;
            const jx = (rand() - 0.5) * cell * 0.5;
            const jy = (rand() - 0.5) * cell * 0.5;
            lines.push(`M${f1(x + jx)},${f1(y + jy)}l${f1(cell + (rand() - 0.5) * cell * 0.4)},${f1((rand() - 0.5) * cell * 0.4)}`);
            lines.push(`M${f1(x + jx)},${f1(y + jy)}l${f1((rand() - 0.5) * cell * 0.4)},${f1(cell + (rand() - 0.5) * cell * 0.4)}`);
          }
        }
        draw.add(0, `<path d="${lines.join('')}" stroke="${css(p.pigmentDark)}" stroke-width="${f1(cell * 0.22)}" fill="none" opacity="0.75" clip-path="url(#inside)" stroke-linecap="round"/>`);
      }
      break;
    }
    case 'plaque': {
      // A well-demarcated erythematous plaque with silvery scale, and a few satellite plaques.
      const rot = rand() * Math.PI;
      draw.add(soft, `<path d="${blobPath(rand, cx, cy, r * 1.3, r * 0.85, 0.18, rot)}" fill="${css(mix(p.skin, p.erythema, 0.4 + 0.6 * inflamed))}" opacity="0.95"/>`);
      for (let i = 0; i < 3; i++) {
        const a = rand() * Math.PI * 2;
        draw.add(soft, `<path d="${blobPath(rand, cx + Math.cos(a) * r * 1.9, cy + Math.sin(a) * r * 1.5, r * 0.28, r * 0.22, 0.2)}" fill="${css(p.erythema)}" opacity="${f1(0.5 + 0.4 * inflamed)}"/>`);
      }
      draw.defs.push(`<clipPath id="inside"><path d="${blobPath(prng(Math.floor(rand() * 1e9)), cx, cy, r * 1.15, r * 0.72, 0.15, rot)}"/></clipPath>`);
      const flakes: string[] = [];
      for (let i = 0; i < 260; i++) {
        const x = cx + (rand() - 0.5) * r * 2.6;
        const y = cy + (rand() - 0.5) * r * 1.8;
        flakes.push(`<ellipse cx="${f1(x)}" cy="${f1(y)}" rx="${f1(r * (0.02 + rand() * 0.07))}" ry="${f1(r * (0.01 + rand() * 0.03))}" transform="rotate(${f1(rand() * 180)} ${f1(x)} ${f1(y)})"/>`);
      }
      draw.add(crisp * 1.5, `<g fill="${css(p.scale)}" opacity="${f1(0.3 + 0.4 * inflamed)}" clip-path="url(#inside)">${flakes.join('')}</g>`);
      break;
    }
    case 'blotch': {
      // Ill-defined patches of redness (eczema, urticaria, a drug rash): soft edges, a few excoriations.
      for (let i = 0; i < 5; i++) {
        const a = rand() * Math.PI * 2;
        const d = i === 0 ? 0 : r * (0.8 + rand() * 1.2);
        const rr = r * (i === 0 ? 1 : 0.35 + rand() * 0.5);
        draw.add(softer, `<path d="${blobPath(rand, cx + Math.cos(a) * d, cy + Math.sin(a) * d, rr * 1.2, rr, 0.5, rand() * Math.PI)}" fill="${css(p.erythema)}" opacity="${f1(0.4 + 0.45 * inflamed)}"/>`);
      }
      for (let i = 0; i < 9; i++) {
        const x = cx + (rand() - 0.5) * r * 2;
        const y = cy + (rand() - 0.5) * r * 1.6;
        draw.add(0, `<path d="M${f1(x)},${f1(y)}l${f1((rand() - 0.5) * r * 0.5)},${f1((rand() - 0.5) * r * 0.3)}" stroke="${css(p.deepErythema)}" stroke-width="${f1(r * 0.018)}" stroke-linecap="round" opacity="${f1(0.6 * inflamed + 0.1)}"/>`);
      }
      break;
    }
    case 'ulcer': {
      // A raised red rim around a base of yellow fibrin and red granulation; the rim settles as it heals.
      const outer = blobPath(rand, cx, cy, r * 1.25, r * 1.05, 0.16);
      const inner = blobPath(rand, cx, cy, r * (0.8 - 0.35 * healing), r * (0.66 - 0.3 * healing), 0.2);
      draw.add(softer, `<path d="${outer}" fill="${css(p.erythema)}" opacity="${f1(0.45 + 0.5 * inflamed)}"/>`);
      draw.add(soft, `<path d="${blobPath(rand, cx, cy, r * 0.98, r * 0.84, 0.15)}" fill="${css(p.deepErythema)}" opacity="0.8"/>`);
      draw.add(crisp * 2, `<path d="${inner}" fill="${css(p.fibrin)}"/>`);
      for (let i = 0; i < 30; i++) {
        const a = rand() * Math.PI * 2;
        const d = rand() * r * 0.5 * (1 - 0.4 * healing);
        draw.add(0, `<circle cx="${f1(cx + Math.cos(a) * d)}" cy="${f1(cy + Math.sin(a) * d * 0.85)}" r="${f1(r * (0.03 + rand() * 0.05))}" fill="${css(mix(p.deepErythema, [190, 50, 50], 0.4))}" opacity="0.7"/>`);
      }
      break;
    }
    case 'papules': {
      // A cluster of small dome-shaped papules, each with a red halo and a highlight on its top.
      draw.defs.push(
        `<radialGradient id="dome" cx="0.4" cy="0.35" r="0.7"><stop offset="0" stop-color="${css(mix(p.pearl, [255, 255, 255], 0.3))}"/><stop offset="0.45" stop-color="${css(p.erythema)}"/><stop offset="1" stop-color="${css(p.deepErythema)}" stop-opacity="0"/></radialGradient>`,
      );
      // Halos first and domes after, so that each is one layer to render.
      const domes: string[] = [];
      for (let i = 0; i < 26; i++) {
        const a = rand() * Math.PI * 2;
        const d = Math.sqrt(rand()) * r * 1.4;
        const x = cx + Math.cos(a) * d;
        const y = cy + Math.sin(a) * d * 0.8;
        const pr = r * (0.06 + rand() * 0.09);
        draw.add(soft, `<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(pr * 2.2)}" fill="${css(p.erythema)}" opacity="${f1(0.25 + 0.35 * inflamed)}"/>`);
        domes.push(`<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(pr)}" fill="url(#dome)" opacity="${f1(0.5 + 0.5 * inflamed)}"/>`);
      }
      draw.add(0, domes.join(''));
      break;
    }
    case 'nodule': {
      // A pearly, shiny nodule with a rolled edge and fine branching vessels on its surface.
      draw.defs.push(
        `<radialGradient id="pearl" cx="0.42" cy="0.38" r="0.65"><stop offset="0" stop-color="${css(mix(p.pearl, [255, 250, 250], 0.5))}"/><stop offset="0.7" stop-color="${css(p.pearl)}"/><stop offset="1" stop-color="${css(p.erythema)}"/></radialGradient>`,
      );
      draw.add(softer, `<path d="${blobPath(rand, cx, cy, r * 1.2, r * 1.05, 0.1)}" fill="${css(p.erythema)}" opacity="0.5"/>`);
      draw.add(crisp, `<path d="${blobPath(rand, cx, cy, r, r * 0.9, 0.08)}" fill="url(#pearl)"/>`);
      const vessels: string[] = [];
      for (let i = 0; i < 7; i++) {
        let x = cx + (rand() - 0.5) * r;
        let y = cy + (rand() - 0.5) * r;
        let d = `M${f1(x)},${f1(y)}`;
        let angle = rand() * Math.PI * 2;
        for (let s = 0; s < 8; s++) {
          angle += (rand() - 0.5) * 1.2;
          x += Math.cos(angle) * r * 0.09;
          y += Math.sin(angle) * r * 0.09;
          d += `L${f1(x)},${f1(y)}`;
        }
        vessels.push(d);
      }
      draw.add(0, `<path d="${vessels.join('')}" stroke="${css(mix(p.deepErythema, [200, 40, 56], 0.4))}" stroke-width="${f1(r * 0.006 + 1)}" fill="none" opacity="0.6" stroke-linejoin="round"/>`);
      draw.add(soft, `<ellipse cx="${f1(cx - r * 0.25)}" cy="${f1(cy - r * 0.3)}" rx="${f1(r * 0.22)}" ry="${f1(r * 0.1)}" fill="white" opacity="0.35"/>`);
      break;
    }
    case 'suture-line': {
      // An excision wound: the incision, a pink halo that fades as it heals, sutures until they come out.
      const angle = (rand() - 0.5) * 0.6;
      const half = r * 1.8;
      const dx = Math.cos(angle) * half;
      const dy = Math.sin(angle) * half;
      const bow = (rand() - 0.5) * r * 0.25;
      const line = `M${f1(cx - dx)},${f1(cy - dy)}Q${f1(cx - Math.sin(angle) * bow)},${f1(cy + Math.cos(angle) * bow)} ${f1(cx + dx)},${f1(cy + dy)}`;
      draw.add(softer, `<path d="${line}" stroke="${css(p.erythema)}" stroke-width="${f1(r * (0.25 + 0.35 * inflamed))}" fill="none" stroke-linecap="round" opacity="${f1(0.3 + 0.6 * inflamed)}"/>`);
      draw.add(crisp, `<path d="${line}" stroke="${css(healing > 0.6 ? mix(p.skin, p.pearl, 0.7) : p.deepErythema)}" stroke-width="${f1(r * (0.05 - 0.02 * healing))}" fill="none" stroke-linecap="round"/>`);
      if (healing < 0.5) {
        for (let i = 1; i < 7; i++) {
          const t = i / 7;
          const x = cx - dx + 2 * dx * t;
          const y = cy - dy + 2 * dy * t + Math.cos(angle) * bow * 2 * t * (1 - t);
          const nx = -Math.sin(angle) * r * 0.2;
          const ny = Math.cos(angle) * r * 0.2;
          draw.add(0, `<path d="M${f1(x - nx)},${f1(y - ny)}L${f1(x + nx)},${f1(y + ny)}" stroke="rgb(28,34,66)" stroke-width="${f1(r * 0.025 + 1)}" stroke-linecap="round"/>`);
          draw.add(0, `<path d="M${f1(x + nx)},${f1(y + ny)}l${f1(r * 0.06)},${f1(r * 0.08)}M${f1(x + nx)},${f1(y + ny)}l${f1(-r * 0.05)},${f1(r * 0.09)}" stroke="rgb(28,34,66)" stroke-width="${f1(r * 0.015 + 1)}" stroke-linecap="round"/>`);
        }
      }
      break;
    }
  }

  // Hairs and skin creases over everything, so the lesion sits in the skin rather than on it.
  const hairs: string[] = [];
  const hairCount = view === 'dermoscopy' ? 4 : 16;
  for (let i = 0; i < hairCount; i++) {
    const x = rand() * g.width;
    const y = rand() * g.height;
    const a = rand() * Math.PI;
    const len = g.height * (0.05 + rand() * 0.12);
    hairs.push(`M${f1(x)},${f1(y)}q${f1(Math.cos(a) * len * 0.5 + (rand() - 0.5) * 20)},${f1(Math.sin(a) * len * 0.5 + (rand() - 0.5) * 20)} ${f1(Math.cos(a) * len)},${f1(Math.sin(a) * len)}`);
  }
  const creases: string[] = [];
  const creaseAngle = rand() * Math.PI;
  for (let i = 0; i < 40; i++) {
    const x = rand() * g.width;
    const y = rand() * g.height;
    const a = creaseAngle + (i % 2 ? 0.9 : 0) + (rand() - 0.5) * 0.3;
    const len = g.height * (0.03 + rand() * 0.08);
    creases.push(`M${f1(x)},${f1(y)}l${f1(Math.cos(a) * len)},${f1(Math.sin(a) * len)}`);
  }
  draw.add(0, `<path d="${creases.join('')}" stroke="${css(mix(p.skin, [40, 20, 15], 0.35))}" stroke-width="1.6" opacity="0.18" fill="none" stroke-linecap="round"/>`);
  draw.add(0, `<path d="${hairs.join('')}" stroke="${css(mix(p.skin, [30, 20, 15], 0.7))}" stroke-width="${view === 'dermoscopy' ? 5 : 2}" fill="none" opacity="0.55" stroke-linecap="round"/>`);
}

/** Light falling across the frame; an overview also shows a drape at its edge. */
function drawScene(draw: Drawing, width: number, height: number, rand: () => number, view: PhotoView): void {
  draw.defs.push(
    `<radialGradient id="light" cx="${f1(0.3 + rand() * 0.4)}" cy="${f1(0.25 + rand() * 0.3)}" r="0.8"><stop offset="0" stop-color="white" stop-opacity="0.14"/><stop offset="1" stop-color="black" stop-opacity="0.18"/></radialGradient>`,
  );
  draw.add(0, `<rect width="${width}" height="${height}" fill="url(#light)"/>`);
  if (view === 'overview') {
    const corner = rand() < 0.5;
    const y0 = height * (0.72 + rand() * 0.1);
    const path = corner
      ? `M0,${f1(y0)}C${f1(width * 0.3)},${f1(y0 - height * 0.08)} ${f1(width * 0.6)},${f1(y0 + height * 0.12)} ${width},${f1(y0 + height * 0.04)}L${width},${height}L0,${height}Z`
      : `M${f1(width * 0.82)},0C${f1(width * 0.76)},${f1(height * 0.4)} ${f1(width * 0.9)},${f1(height * 0.7)} ${f1(width * 0.84)},${height}L${width},${height}L${width},0Z`;
    draw.add(8, `<path d="${path}" fill="rgb(46,112,122)"/>`);
  }
}

/** Each layer as raw RGBA at full size: rendered at a scale its blur hides, blurred, then enlarged. */
async function renderLayers(drawing: Drawing, width: number, height: number): Promise<OverlayOptions[]> {
  const defs = `<defs>${drawing.defs.join('')}</defs>`;
  return Promise.all(
    drawing.layers.map(async ({ sigma, elements }) => {
      const k = sigma <= 2 ? 1 : Math.min(1, Math.max(1 / 8, 3 / sigma));
      const w = Math.round(width * k);
      const h = Math.round(height * k);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${width} ${height}">${defs}${elements.join('')}</svg>`;
      let image = sharp(Buffer.from(svg));
      if (sigma * k >= 0.3) image = image.blur(sigma * k);
      const small = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      // (sharp's info says `premultiplied: true` after a blur, but the raw pixels it gives are not.)
      if (k === 1) return { input: small.data, raw: { width, height, channels: 4 as const } };
      const big = await sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels: 4 } })
        .resize(width, height, { kernel: 'linear' })
        .raw()
        .toBuffer();
      return { input: big, raw: { width, height, channels: 4 as const } };
    }),
  );
}

function rulerSvg(width: number, height: number, pxPerMm: number): string {
  const mm = Math.floor((width * 0.7) / pxPerMm);
  const x0 = width * 0.08;
  const top = height - height * 0.16;
  const ticks: string[] = [];
  for (let i = 0; i <= mm; i++) {
    const len = i % 10 === 0 ? 34 : i % 5 === 0 ? 24 : 14;
    ticks.push(`M${f1(x0 + i * pxPerMm)},${f1(top)}v${len}`);
  }
  const labels: string[] = [];
  // The numbers are centimetres; the unit sits after the last one, clear of it.
  for (let i = 0; i <= mm; i += 10) {
    labels.push(`<text x="${f1(x0 + i * pxPerMm + 4)}" y="${f1(top + 62)}" font-family="DejaVu Sans, sans-serif" font-size="22" fill="rgb(30,30,30)">${i / 10}</text>`);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect x="${f1(x0 - 20)}" y="${f1(top - 6)}" width="${f1(mm * pxPerMm + 90)}" height="80" rx="6" fill="rgb(246,244,226)" opacity="0.92"/>` +
    `<path d="${ticks.join('')}" stroke="rgb(30,30,30)" stroke-width="2"/>${labels.join('')}` +
    `<text x="${f1(x0 + mm * pxPerMm + 30)}" y="${f1(top + 62)}" font-family="DejaVu Sans, sans-serif" font-size="18" fill="rgb(30,30,30)">cm</text></svg>`
  );
}

/** Low-frequency lighting, skin-coloured, as raw RGB: cheap to make, costly enough to compress like a photo. */
async function skinBase(width: number, height: number, skin: Rgb, rand: () => number): Promise<Buffer> {
  const gw = 12;
  const gh = 9;
  const grid = Buffer.alloc(gw * gh * 3);
  for (let i = 0; i < gw * gh; i++) {
    const shade = 1 + (rand() - 0.5) * 0.12;
    const hue = (rand() - 0.5) * 8;
    grid[i * 3] = clamp(skin[0] * shade + hue);
    grid[i * 3 + 1] = clamp(skin[1] * shade);
    grid[i * 3 + 2] = clamp(skin[2] * shade - hue * 0.5);
  }
  return sharp(grid, { raw: { width: gw, height: gh, channels: 3 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
}

/** Mottling (pores, uneven pigment) as a grey field around 1.0, made small and enlarged. */
async function mottle(width: number, height: number, rand: () => number): Promise<Buffer> {
  const mw = Math.round(width / 5);
  const mh = Math.round(height / 5);
  const small = Buffer.alloc(mw * mh);
  for (let i = 0; i < small.length; i++) small[i] = 128 + (rand() - 0.5) * 60;
  return sharp(small, { raw: { width: mw, height: mh, channels: 1 } }).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
}

/** A JPEG of about 1600x1200 and a few hundred KB. */
export async function lesionPhoto(spec: LesionPhotoSpec): Promise<Buffer> {
  const width = spec.width ?? 1600;
  const height = spec.height ?? 1200;
  const view = spec.view ?? 'closeup';
  const healing = Math.min(1, Math.max(0, spec.healing ?? 0));
  const rand = prng(spec.seed * 7919 + 17);
  const palette = paletteFor(spec.fitzpatrick);

  const short = Math.min(width, height);
  const r = short * (view === 'overview' ? 0.07 + rand() * 0.03 : view === 'dermoscopy' ? 0.26 : 0.15 + rand() * 0.05);
  const g: Geometry = { width, height, cx: width * (0.42 + rand() * 0.16), cy: height * (view === 'overview' ? 0.38 + rand() * 0.12 : 0.42 + rand() * 0.1), r };

  const drawing = new Drawing();
  drawScene(drawing, width, height, rand, view);
  drawLesion(drawing, spec.lesion, palette, g, rand, healing, view);
  const base = await skinBase(width, height, palette.skin, rand);
  const layered = await sharp(base, { raw: { width, height, channels: 3 } })
    .composite(await renderLayers(drawing, width, height))
    .removeAlpha()
    .raw()
    .toBuffer();

  // Texture and sensor noise over skin and lesion alike; xorshift32 inline, as this runs 5 million times.
  const grain = await mottle(width, height, rand);
  const pixels = Buffer.alloc(width * height * 3);
  let x = Math.floor(rand() * 0xffffffff) | 1;
  for (let i = 0, px = 0; px < width * height; px++) {
    const m = 1 + (grain[px]! - 128) / 900;
    for (let c = 0; c < 3; c++, i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      // Two bytes of x summed: a triangular distribution over -7..7.
      pixels[i] = clamp(layered[i]! * m + (((x & 255) + ((x >>> 8) & 255) - 255) * 7) / 255);
    }
  }

  const overlays: OverlayOptions[] = [];
  // A dermatoscope's glass plate leaves no room for a ruler.
  if (spec.ruler && view !== 'dermoscopy') overlays.push({ input: Buffer.from(rulerSvg(width, height, view === 'overview' ? 9 : 22)) });
  if (view === 'dermoscopy') {
    overlays.push({
      input: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><mask id="m"><rect width="${width}" height="${height}" fill="white"/><circle cx="${width / 2}" cy="${height / 2}" r="${f1(short * 0.49)}" fill="black"/></mask></defs><rect width="${width}" height="${height}" fill="rgb(8,8,10)" mask="url(#m)"/></svg>`,
      ),
    });
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .composite(overlays)
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();
}
