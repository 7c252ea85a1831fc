// The `message` of an error body in the reader's language (area `errors`); the `code` never changes. The
// English message thrown is the reference, as a gettext msgid: an entry `<CODE>.<variant>` whose English
// matches it, each {argument} standing for the text there ({argument, number}: a number), gives its
// translation with those arguments (so "Case not found" reads as such, not as a bare "Not found", and a
// limit is written the language's way); otherwise the code's own entry, whose {detail} (validation errors)
// is the English message, a field path and rule for whoever wrote the request; an unknown code gets its
// status's entry.
import type { Language } from '../vocabulary.js';
import { DEFAULT_LANGUAGE } from './languages.js';
import { hasMessage, loadCatalogue, translator } from './messages.js';

const AREA = 'errors';

/** The only ICU a variant's English may hold, so that it can be matched (the errors test checks). */
export const VARIANT_ARGUMENT = /\{(\w+)(, number)?\}/g;

interface Variant {
  key: string;
  pattern: RegExp;
  args: { name: string; numeric: boolean }[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function variantOf(key: string, english: string): Variant {
  let source = '';
  let end = 0;
  const args: Variant['args'] = [];
  for (const m of english.matchAll(VARIANT_ARGUMENT)) {
    const numeric = m[2] !== undefined;
    source += escapeRegExp(english.slice(end, m.index)) + (numeric ? '(\\d+(?:\\.\\d+)?)' : '([\\s\\S]+?)');
    args.push({ name: m[1]!, numeric });
    end = m.index + m[0].length;
  }
  return { key, pattern: new RegExp(`^${source}${escapeRegExp(english.slice(end))}$`), args };
}

/** Each code's variants, from the English catalogue. */
function variantsByCode(): Map<string, Variant[]> {
  const byCode = new Map<string, Variant[]>();
  for (const [key, english] of Object.entries(loadCatalogue(DEFAULT_LANGUAGE))) {
    const code = new RegExp(`^${AREA}\\.([A-Z][A-Z0-9_]*)\\.\\w+$`).exec(key)?.[1];
    if (code) byCode.set(code, [...(byCode.get(code) ?? []), variantOf(key, english)]);
  }
  return byCode;
}

const variants = variantsByCode();

function statusKey(statusCode: number): string {
  const exact = `${AREA}.status.${statusCode}`;
  if (hasMessage(exact)) return exact;
  return `${AREA}.status.${statusCode >= 500 ? '5xx' : '4xx'}`;
}

/** The message for an error body in `language`: the English one as it is, or its translation. */
export function errorMessage(language: Language, code: string, statusCode: number, english: string): string {
  if (language === DEFAULT_LANGUAGE) return english;
  const t = translator(language);
  for (const { key, pattern, args } of variants.get(code) ?? []) {
    const match = pattern.exec(english);
    if (match) return t(key, Object.fromEntries(args.map(({ name, numeric }, i) => [name, numeric ? Number(match[i + 1]) : match[i + 1]])));
  }
  const own = `${AREA}.${code}`;
  return t(hasMessage(own) ? own : statusKey(statusCode), { detail: english });
}
