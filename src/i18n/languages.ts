// Which of our languages a person reads: from a tag they chose, or from their browser's Accept-Language.
// Shared by the server and the browser code (no Node APIs here).
import { LANGUAGES, type Language } from '../vocabulary.js';

export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language named in itself, as a language switch shows it (the same in every language). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '中文', es: 'Español', fr: 'Français' };

/**
 * One of our languages for a BCP 47 tag, or null: any Chinese reads our Simplified Chinese (a Traditional
 * reader follows it far better than English), any Spanish or French variety ours, any English ours.
 */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  const exact = LANGUAGES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  return LANGUAGES.find((l) => l === primary) ?? null;
}

/** The first of our languages in an Accept-Language header, by its q order; English when none is. */
export function negotiateLanguage(header: string | null | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    const found = supportedLanguage(r.tag);
    if (found) return found;
  }
  return DEFAULT_LANGUAGE;
}
