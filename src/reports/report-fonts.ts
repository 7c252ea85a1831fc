// The report's fonts, and which of them prints each piece of text. Case text is written in any language
// (the service's users write English, Chinese, Spanish and French), and pdfkit's built-in Helvetica prints
// only Latin-1, so the report embeds Noto Sans (Latin, Greek, Cyrillic) and, where it has no glyph, Noto Sans
// SC (Chinese, kana, CJK punctuation), from their npm packages; pdfkit embeds only the glyphs used. A
// character neither font has (emoji, Korean, Arabic...) prints as U+FFFD, and the report says so, rather than
// as a blank or a wrong glyph that a reader could take for the text itself.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

export type FontStyle = 'regular' | 'bold';

/** Most wanted first: Noto Sans for what it covers, Noto Sans SC for the rest. */
const FONT_FILES: Record<FontStyle, readonly string[]> = {
  regular: ['@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf', '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'],
  bold: ['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf', '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'],
};

export const UNPRINTABLE = '\uFFFD';

export interface ReportFont {
  /** The name the document registers it under. */
  name: string;
  /**
   * Parsed once per process and handed to every document: pdfkit takes a fontkit font as it is (its types
   * leave that out), and parsing the Chinese font's tables again for each report took most of a second.
   */
  source: PDFKit.Mixins.PDFFontSource;
  covers(codePoint: number): boolean;
}

export type ReportFonts = Record<FontStyle, readonly ReportFont[]>;

const require = createRequire(import.meta.url);

function loadFont(name: string, modulePath: string): ReportFont {
  const bytes = fs.readFileSync(require.resolve(modulePath));
  const font = fontkit.create(bytes);
  if (!('hasGlyphForCodePoint' in font)) throw new Error(`${modulePath} is a font collection, not a font`);
  return { name, source: font as unknown as PDFKit.Mixins.PDFFontSource, covers: (codePoint) => font.hasGlyphForCodePoint(codePoint) };
}

let loaded: ReportFonts | null = null;

/** Read once per process (about 22 MB, most of it the Chinese glyphs), on the first report. */
export function reportFonts(): ReportFonts {
  loaded ??= {
    regular: FONT_FILES.regular.map((file, i) => loadFont(`regular-${i}`, file)),
    bold: FONT_FILES.bold.map((file, i) => loadFont(`bold-${i}`, file)),
  };
  return loaded;
}

export interface TextRun {
  /** The registered name of the font that prints it. */
  font: string;
  text: string;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** Code points that join or vary the character before them and print nothing themselves. */
const INVISIBLE = /^(?:\u200c|\u200d|\p{Variation_Selector}|\p{Emoji_Modifier})$/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;
/** Spaces and punctuation stay in the font of the text around them, so a Chinese sentence keeps its commas. */
const NEUTRAL = /^[\p{P}\p{Z}\s]+$/u;

function printableWith(fonts: readonly ReportFont[], grapheme: string): ReportFont | undefined {
  const codePoints = [...grapheme].filter((c) => !INVISIBLE.test(c)).map((c) => c.codePointAt(0)!);
  return fonts.find((font) => codePoints.every((codePoint) => font.covers(codePoint)));
}

/**
 * The text cut into runs, each in the first font of the style that prints all of it; what no font prints
 * becomes U+FFFD, one per character as a reader sees it (an emoji with its modifiers is one).
 */
export function textRuns(fonts: readonly ReportFont[], text: string): { runs: TextRun[]; unprintable: number } {
  const primary = fonts[0]!;
  const runs: TextRun[] = [];
  let current: ReportFont | undefined;
  let unprintable = 0;
  for (const { segment } of graphemes.segment(text.replace(/\r\n?/g, '\n').replace(/\t/g, ' '))) {
    if (segment !== '\n' && [...segment].every((c) => CONTROL.test(c))) continue;
    let piece = segment;
    let font = segment === '\n' ? (current ?? primary) : NEUTRAL.test(segment) && current && printableWith([current], segment) ? current : printableWith(fonts, segment);
    if (!font && /^\s+$/u.test(segment)) {
      piece = ' ';
      font = current ?? primary;
    } else if (!font) {
      unprintable += 1;
      piece = UNPRINTABLE;
      font = primary;
    }
    const last = runs[runs.length - 1];
    if (last && font === current) last.text += piece;
    else runs.push({ font: font.name, text: piece });
    current = font;
  }
  return { runs, unprintable };
}
