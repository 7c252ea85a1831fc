// The message catalogues (src/i18n/messages/<area>/<language>.json), read once, and t(key, values) over them
// in one language (formatting in formatter.ts, shared with the web app).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language } from '../vocabulary.js';
import { type Catalogue, messageFormatter, type MessageValues } from './formatter.js';
import { DEFAULT_LANGUAGE } from './languages.js';

export const MESSAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');

export type { Catalogue, MessageValues };

/** Every area's messages for one language, keyed `<area>.<key>`. */
export function loadCatalogue(language: Language, dir = MESSAGES_DIR): Catalogue {
  const catalogue: Catalogue = {};
  for (const area of fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = path.join(dir, area, `${language}.json`);
    if (!fs.existsSync(file)) continue;
    for (const [key, text] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Catalogue)) catalogue[`${area}.${key}`] = text;
  }
  return catalogue;
}

const catalogues = new Map<Language, Catalogue>(LANGUAGES.map((l) => [l, loadCatalogue(l)]));
const format = messageFormatter((language) => catalogues.get(language as Language));

export type Translate = (key: string, values?: MessageValues) => string;

/** Whether English has the message (so that callers can fall back to their own words). */
export function hasMessage(key: string): boolean {
  return key in catalogues.get(DEFAULT_LANGUAGE)!;
}

/** t(key, values) in one language. An unknown key is a programming error and throws. */
export function translator(language: Language): Translate {
  return (key, values) => format(language, key, values);
}
