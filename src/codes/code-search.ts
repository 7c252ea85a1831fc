// Finds codes by what a person types: the start of a code, with or without its dot ("L40.", "l400"), or words
// of its title, each the start of a word, in any case and with or without accents ("psoria", "cafe au lait").
// The index is built once; a search scans about a thousand entries, well under a millisecond.
import type { CodeEntry } from './icd10-dermatology.js';

interface IndexedCode {
  entry: CodeEntry;
  /** The code without its dot, upper case: 'L400'. */
  compact: string;
  /** The title's words, lower case without accents. */
  words: string[];
  /** Its place in the list: the tabular order, categories before their subcategories. */
  order: number;
}

/** Lower case, accents taken off: 'Acné excoriée' -> 'acne excoriee'. */
const folded = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const wordsOf = (text: string) => folded(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const compactCode = (text: string) => text.replace(/\./g, '').toUpperCase();

/** How well an entry answers a query: lower is better; null when it does not. */
function rank(code: IndexedCode, codeQuery: string | null, queryWords: string[]): number | null {
  if (codeQuery !== null && code.compact === codeQuery) return 0;
  if (codeQuery !== null && code.compact.startsWith(codeQuery)) return 1;
  if (queryWords.length === 0 || !queryWords.every((q) => code.words.some((w) => w.startsWith(q)))) return null;
  // A title that starts with what was typed reads as the better match ('Psoriasis vulgaris' before 'Arthropathic psoriasis').
  return code.words[0]!.startsWith(queryWords[0]!) ? 2 : 3;
}

export interface CodeIndex {
  /** The best `limit` entries for `query`: the exact code, then codes it starts, then titles; each group in list order. */
  search(query: string, limit: number): CodeEntry[];
}

export function codeIndex(entries: readonly CodeEntry[]): CodeIndex {
  const indexed: IndexedCode[] = entries.map((entry, order) => ({ entry, compact: compactCode(entry.code), words: wordsOf(entry.text), order }));
  return {
    search(query, limit) {
      const trimmed = query.trim();
      // Only something shaped like a code is compared with codes: a letter, then letters and digits, dots anywhere.
      const codeQuery = /^[a-z][0-9a-z.]*$/i.test(trimmed) ? compactCode(trimmed) : null;
      const queryWords = wordsOf(trimmed);
      const found: { code: IndexedCode; rank: number }[] = [];
      for (const code of indexed) {
        const r = rank(code, codeQuery, queryWords);
        if (r !== null) found.push({ code, rank: r });
      }
      found.sort((a, b) => a.rank - b.rank || a.code.order - b.code.order);
      return found.slice(0, limit).map(({ code }) => code.entry);
    },
  };
}
