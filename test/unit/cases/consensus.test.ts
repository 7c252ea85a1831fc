import { describe, expect, it } from 'vitest';
import {
  diagnosesAgree,
  diagnosisKey,
  evaluateConsensus,
  normalizeDiagnosisText,
} from '../../../src/cases/consensus.js';
import type { OpinionForConsensus } from '../../../src/cases/consensus.js';
import type { Diagnosis } from '../../../src/vocabulary.js';

let clock = Date.parse('2025-03-01T08:00:00Z');
const op = (reviewerId: string, diagnosis: Diagnosis): OpinionForConsensus => ({
  reviewerId,
  diagnosis,
  createdAt: new Date((clock += 60_000)),
});

const psoriasisIcd: Diagnosis = { text: 'Psoriasis vulgaris', code: 'L40.0', system: 'icd10' };
const eczema: Diagnosis = { text: 'Atopic eczema' };
const tinea: Diagnosis = { text: 'Tinea corporis' };

describe('diagnosisKey and normalization', () => {
  it('keys coded diagnoses by system and code, ignoring case, dots and spaces', () => {
    expect(diagnosisKey({ text: 'x', code: 'L40.0', system: 'icd10' })).toBe('icd10:L400');
    expect(diagnosisKey({ text: 'y', code: ' l40 0 ', system: 'icd10' })).toBe('icd10:L400');
    expect(diagnosisKey({ text: 'z', code: '9014002', system: 'snomed' })).toBe('snomed:9014002');
  });

  it('keys uncoded diagnoses by their normalized text', () => {
    expect(diagnosisKey({ text: '  Lichen   Planus. ' })).toBe('text:lichen planus');
    expect(diagnosisKey({ text: 'Érythème polymorphe' })).toBe('text:erytheme polymorphe');
    expect(diagnosisKey({ text: 'Tinea (corporis)/cruris' })).toBe('text:tinea corporis cruris');
  });

  it('ignores a code given without a system, as it cannot be compared', () => {
    expect(diagnosisKey({ text: 'Psoriasis', code: 'L40.0' })).toBe('text:psoriasis');
  });

  it('normalizes accents, case, punctuation and whitespace', () => {
    expect(normalizeDiagnosisText('Café-au-lait  MACULES!')).toBe('cafe au lait macules');
  });
});

describe('diagnosesAgree', () => {
  it('lets codes of the same system decide, whatever the wording', () => {
    expect(diagnosesAgree(psoriasisIcd, { text: 'Chronic plaque psoriasis', code: 'l400', system: 'icd10' })).toBe(true);
    expect(diagnosesAgree({ text: 'Psoriasis', code: 'L40.0', system: 'icd10' }, { text: 'Psoriasis', code: 'L40.1', system: 'icd10' })).toBe(false);
  });

  it('compares texts when one side is uncoded', () => {
    expect(diagnosesAgree(psoriasisIcd, { text: 'psoriasis VULGARIS' })).toBe(true);
    expect(diagnosesAgree(psoriasisIcd, { text: 'Psoriasis' })).toBe(false);
  });

  it('compares texts when the codes come from different systems', () => {
    expect(diagnosesAgree({ text: 'Psoriasis', code: 'L40.0', system: 'icd10' }, { text: 'psoriasis', code: '9014002', system: 'snomed' })).toBe(true);
    expect(diagnosesAgree({ text: 'Psoriasis', code: 'L40.0', system: 'icd10' }, { text: 'Plaque psoriasis', code: '200965009', system: 'snomed' })).toBe(false);
  });
});

describe('evaluateConsensus', () => {
  it('is pending with no opinions, needing the whole quorum', () => {
    expect(evaluateConsensus([], 2)).toEqual({ outcome: 'pending', agreement: 0, opinionsNeeded: 2 });
  });

  it('is pending below quorum and reveals no provisional consensus', () => {
    const result = evaluateConsensus([op('a', eczema)], 2);
    expect(result).toEqual({ outcome: 'pending', agreement: 1, opinionsNeeded: 1 });
    expect(result.consensus).toBeUndefined();
  });

  it('answers when the quorum agrees, with full agreement', () => {
    const result = evaluateConsensus([op('a', eczema), op('b', { text: 'atopic  ECZEMA' })], 2);
    expect(result.outcome).toBe('answered');
    expect(result.agreement).toBe(1);
    expect(result.opinionsNeeded).toBe(0);
    expect(diagnosisKey(result.consensus!)).toBe('text:atopic eczema');
  });

  it('prefers the coded wording as the consensus when a coded and an uncoded opinion agree', () => {
    const result = evaluateConsensus([op('a', { text: 'Psoriasis vulgaris' }), op('b', psoriasisIcd)], 2);
    expect(result.outcome).toBe('answered');
    expect(result.consensus).toEqual(psoriasisIcd);
  });

  it('disputes when the quorum disagrees, asking for one tie-breaking opinion', () => {
    const result = evaluateConsensus([op('a', eczema), op('b', tinea)], 2);
    expect(result).toEqual({ outcome: 'disputed', agreement: 0.5, opinionsNeeded: 1 });
  });

  it('requires unanimity at quorum: 2 of 3 is still a dispute when the quorum is 3', () => {
    const result = evaluateConsensus([op('a', eczema), op('b', eczema), op('c', tinea)], 3);
    expect(result.outcome).toBe('disputed');
    expect(result.opinionsNeeded).toBe(1);
    expect(result.agreement).toBeCloseTo(2 / 3);
  });

  it('settles a dispute by the strict majority after the tie-breaker', () => {
    const result = evaluateConsensus([op('a', eczema), op('b', tinea), op('c', { text: 'Tinea  corporis' })], 2);
    expect(result.outcome).toBe('answered');
    expect(diagnosisKey(result.consensus!)).toBe('text:tinea corporis');
    expect(result.agreement).toBeCloseTo(2 / 3);
  });

  it('stays disputed when the tie-breaker names a third diagnosis, asking for one more', () => {
    const result = evaluateConsensus([op('a', eczema), op('b', tinea), op('c', { text: 'Contact dermatitis' })], 2);
    expect(result).toEqual({ outcome: 'disputed', agreement: 1 / 3, opinionsNeeded: 1 });
  });

  it('does not accept a plurality: 2 vs 1 vs 1 is no majority of 4', () => {
    const opinions = [op('a', eczema), op('b', tinea), op('c', { text: 'Contact dermatitis' }), op('d', eczema)];
    expect(evaluateConsensus(opinions, 2)).toEqual({ outcome: 'disputed', agreement: 0.5, opinionsNeeded: 1 });
    expect(evaluateConsensus([...opinions, op('e', eczema)], 2).outcome).toBe('answered');
  });

  it('matches codes across dotted and undotted spellings', () => {
    const result = evaluateConsensus(
      [op('a', { text: 'Psoriasis', code: 'L40.0', system: 'icd10' }), op('b', { text: 'Plaque psoriasis', code: 'l400', system: 'icd10' })],
      2,
    );
    expect(result.outcome).toBe('answered');
  });

  it('disputes two coded opinions whose codes differ even if their texts match', () => {
    const result = evaluateConsensus(
      [op('a', { text: 'Psoriasis', code: 'L40.0', system: 'icd10' }), op('b', { text: 'Psoriasis', code: 'L40.5', system: 'icd10' })],
      2,
    );
    expect(result.outcome).toBe('disputed');
  });

  it('counts a reviewer once, keeping their earliest opinion', () => {
    const first = op('a', eczema);
    const second = op('a', eczema);
    expect(evaluateConsensus([second, first], 2)).toEqual({ outcome: 'pending', agreement: 1, opinionsNeeded: 1 });
  });

  it('refuses a quorum that is not a positive integer', () => {
    expect(() => evaluateConsensus([], 0)).toThrow(RangeError);
    expect(() => evaluateConsensus([], 1.5)).toThrow(RangeError);
  });
});
