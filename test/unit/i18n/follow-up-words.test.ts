// The follow-up script's words (src/web/follow-up/messages.ts): the script has no ICU and picks a plural
// message's form by the table the page gives, then puts the number in. For every language and every count a
// link can meet, that must read exactly as ICU itself formats the message.
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/messages.js';
import { MAX_MAX_PHOTOS } from '../../../src/routes/follow-up-links.js';
import { LANGUAGES } from '../../../src/vocabulary.js';
import { scriptWords } from '../../../src/web/follow-up/messages.js';

/** What follow-up.js does with a plural message (its plural() and fill()). */
function asTheScriptSays(words: ReturnType<typeof scriptWords>, key: string, n: number, clinic: string): string {
  const forms = words.plurals[key]!;
  const form = forms[words.forms[n] ?? 'other'] ?? forms.other!;
  return form.replace(/\{(\w+)\}/g, (slot, name: string) => (name === 'n' ? String(n) : name === 'clinic' ? clinic : slot));
}

const PLURALS: Record<string, [string, Record<string, string>]> = {
  send: ['send.count', {}],
  hint: ['hint.remaining', {}],
  sent: ['result.sent', { note: 'no' }],
  sentWithNote: ['result.sent', { note: 'yes' }],
  more: ['result.more', {}],
  tooMany: ['script.too-many', {}],
};

describe("the follow-up script's words", () => {
  for (const language of LANGUAGES) {
    it(`${language}: every count up to the most a link takes reads as ICU says it`, () => {
      const t = translator(language);
      const clinic = 'Clinic {n} & Co';
      const words = scriptWords(language, MAX_MAX_PHOTOS);
      expect(words.forms).toHaveLength(MAX_MAX_PHOTOS + 1);
      expect(Object.keys(words.plurals).sort()).toEqual(Object.keys(PLURALS).sort());
      for (const [key, [message, values]] of Object.entries(PLURALS)) {
        for (let n = 0; n <= MAX_MAX_PHOTOS; n += 1) {
          expect(asTheScriptSays(words, key, n, clinic), `${key} ${n}`).toBe(t(`follow-up.${message}`, { ...values, count: n, n, clinic }));
        }
      }
    });
  }

  it('gives only the forms the counts need, and a short table for a link that takes one more photo', () => {
    expect(Object.keys(scriptWords('zh-CN', 10).plurals.send!)).toEqual(['other']);
    expect(scriptWords('fr', 1).forms).toEqual(['one', 'one']);
    expect(scriptWords('en', 1).forms).toEqual(['other', 'one']);
    expect(scriptWords('en', 1).plurals.hint).toEqual({ other: 'You can send up to {n} photos.', one: 'You can send up to {n} photo.' });
  });

  it('leaves the slots the script fills in its plain texts', () => {
    const { text } = scriptWords('fr', 3);
    expect(text.thanks).toBe('Merci\u00a0! {message}');
    expect(text.sentMore).toBe('{sent} {more}');
    expect(text.removePhoto).toBe('Retirer la photo {n}');
  });
});
