// The message catalogues (src/i18n/messages/<area>/<language>.json): every language has every English key,
// nothing more, with the same placeholders and the same plural/select arguments, and every message is
// valid ICU. A translation that forgets {count} or adds a key nobody uses fails here.
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, MESSAGES_DIR, translator } from '../../../src/i18n/messages.js';
import { negotiateLanguage, supportedLanguage } from '../../../src/i18n/languages.js';
import { LANGUAGES } from '../../../src/vocabulary.js';

/** The arguments a message uses, with their kind: {name} argument, plural, select, number, date... */
function argumentsOf(elements: MessageFormatElement[], found = new Map<string, string>()): Map<string, string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.type === TYPE.tag) {
      argumentsOf(el.children, found);
      continue;
    }
    found.set(el.value, TYPE[el.type]);
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) argumentsOf(option.value, found);
  }
  return found;
}

const english = loadCatalogue('en');

describe('message catalogues', () => {
  it('has areas, each with an English file', () => {
    const areas = fs.readdirSync(MESSAGES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(areas.length).toBeGreaterThan(0);
    for (const area of areas) expect(fs.existsSync(path.join(MESSAGES_DIR, area.name, 'en.json')), area.name).toBe(true);
    expect(Object.keys(english).length).toBeGreaterThan(0);
  });

  for (const language of LANGUAGES) {
    it(`${language}: every English key, no other, the same arguments, valid ICU`, () => {
      const catalogue = loadCatalogue(language);
      expect(Object.keys(catalogue).filter((k) => !(k in english)), 'keys English does not have').toEqual([]);
      expect(Object.keys(english).filter((k) => !(k in catalogue)), 'keys missing').toEqual([]);
      for (const [key, text] of Object.entries(catalogue)) {
        expect(text.trim(), key).not.toBe('');
        const args = argumentsOf(parse(text, { ignoreTag: true }));
        expect(Object.fromEntries(args), key).toEqual(Object.fromEntries(argumentsOf(parse(english[key]!, { ignoreTag: true }))));
      }
    });
  }

  it('formats plural forms and numbers in each language', () => {
    expect(translator('en')('common.photos', { count: 1 })).toBe('1 photo');
    expect(translator('en')('common.photos', { count: 1200 })).toBe('1,200 photos');
    expect(translator('fr')('common.photos', { count: 1200 })).toBe('1\u202f200 photos');
    expect(translator('zh-CN')('common.photos', { count: 2 })).toBe('2 张照片');
    expect(() => translator('en')('common.no-such-key')).toThrow(/No message/);
  });
});

describe('language choice', () => {
  it('maps tags and Accept-Language to one of ours, English otherwise', () => {
    expect(supportedLanguage('zh')).toBe('zh-CN');
    expect(supportedLanguage('zh-Hant-TW')).toBe('zh-CN');
    expect(supportedLanguage('ES-mx')).toBe('es');
    expect(supportedLanguage('fr_CA')).toBe('fr');
    expect(supportedLanguage('de')).toBeNull();
    expect(negotiateLanguage('de-DE,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(negotiateLanguage('en;q=0.2, zh-CN;q=0.9')).toBe('zh-CN');
    expect(negotiateLanguage('es;q=0')).toBe('en');
    expect(negotiateLanguage('*')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
  });
});
