import { describe, expect, it } from 'vitest';
import { agreesWithOutcome, concordanceOf, icd10Category } from '../../../src/cases/concordance.js';
import type { Diagnosis } from '../../../src/vocabulary.js';

const icd = (code: string, text = 'Some words'): Diagnosis => ({ text, code, system: 'icd10' });

describe('concordance of a diagnosis with the confirmed outcome', () => {
  it('takes the ICD-10 category as the first three characters, whatever the case, dots or spaces', () => {
    expect(icd10Category(icd('l40.0'))).toBe('L40');
    expect(icd10Category(icd(' L 40 9 '))).toBe('L40');
    expect(icd10Category(icd('C4'))).toBeNull();
    expect(icd10Category({ text: 'x', code: '9014002', system: 'snomed' })).toBeNull();
    expect(icd10Category({ text: 'x', code: 'L40.0' })).toBeNull();
  });

  it('agrees when both ICD-10 codes share the category, and only then, whatever the words', () => {
    expect(agreesWithOutcome(icd('L40.0', 'Plaque psoriasis'), icd('L40.9', 'Psoriasis, unspecified'))).toBe(true);
    expect(agreesWithOutcome(icd('L40.0', 'Psoriasis'), icd('L20.9', 'Psoriasis'))).toBe(false);
    // The category, not the block: melanoma (C43) and another skin cancer (C44) differ.
    expect(agreesWithOutcome(icd('C43.5'), icd('C44.5'))).toBe(false);
  });

  it('falls back to the words when either has no ICD-10 code: case, accents, punctuation and spacing set aside', () => {
    expect(agreesWithOutcome({ text: 'Lichen planus' }, { text: '  lichen  PLANUS. ' })).toBe(true);
    expect(agreesWithOutcome(icd('L43.9', 'Eczéma nummulaire'), { text: 'eczema nummulaire' })).toBe(true);
    expect(agreesWithOutcome({ text: 'Plaque psoriasis', code: '200965009', system: 'snomed' }, icd('L40.0', 'Plaque psoriasis'))).toBe(true);
    expect(agreesWithOutcome({ text: 'Lichen planus' }, { text: 'Lichen sclerosus' })).toBe(false);
    expect(agreesWithOutcome({ text: '...' }, { text: '!!!' })).toBe(false);
  });

  it('counts the pairs and the agreeing ones; no rate without a pair', () => {
    expect(concordanceOf([])).toEqual({ withOutcome: 0, concordant: 0, rate: null });
    const pairs = [
      { diagnosis: icd('L40.0'), outcome: icd('L40.1') },
      { diagnosis: { text: 'Tinea corporis' }, outcome: { text: 'tinea corporis' } },
      { diagnosis: icd('L20.9'), outcome: icd('L40.0') },
      { diagnosis: { text: 'Scabies' }, outcome: { text: 'Prurigo' } },
    ];
    expect(concordanceOf(pairs)).toEqual({ withOutcome: 4, concordant: 2, rate: 0.5 });
  });
});
