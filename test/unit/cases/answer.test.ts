// The referrer's answer: the majority's diagnosis and advice, the count that agreed, the dissent apart.
import { describe, expect, it } from 'vitest';
import { answerOf, type OpinionForAnswer } from '../../../src/cases/answer.js';
import type { Diagnosis } from '../../../src/vocabulary.js';

const MELANOMA: Diagnosis = { text: 'Melanoma', code: 'C43.5', system: 'icd10' };
const NAEVUS: Diagnosis = { text: 'Dysplastic naevus', code: 'D22.5', system: 'icd10' };
const opinion = (diagnosis: Diagnosis, disposition: OpinionForAnswer['disposition'], createdAt: number, management = `${disposition} advice`): OpinionForAnswer => ({
  diagnosis,
  disposition,
  createdAt,
  management,
});

describe('answerOf', () => {
  it('gives a unanimous panel\'s advice with no dissent', () => {
    expect(answerOf(NAEVUS, [opinion(NAEVUS, 'reassure', 1), opinion({ ...NAEVUS, text: 'Atypical mole' }, 'reassure', 2)])).toMatchObject({
      agreeing: 2,
      total: 2,
      disposition: 'reassure',
      dissent: [],
    });
  });

  it('keeps a dissenting opinion out of the advice, whatever its disposition', () => {
    const answer = answerOf(NAEVUS, [opinion(NAEVUS, 'reassure', 1), opinion(MELANOMA, 'urgent-referral', 2), opinion(NAEVUS, 'treat-locally', 3)])!;
    expect(answer).toMatchObject({ diagnosis: NAEVUS, disposition: 'treat-locally', management: 'treat-locally advice', agreeing: 2, total: 3 });
    expect(answer.dissent).toEqual([{ diagnosis: MELANOMA, disposition: 'urgent-referral' }]);
  });

  it('takes the most cautious disposition of the majority, with that opinion\'s own management', () => {
    for (const [dispositions, expected] of [
      [['reassure', 'biopsy'], 'biopsy'],
      [['refer-in-person', 'urgent-referral'], 'urgent-referral'],
      [['treat-locally', 'refer-in-person', 'biopsy'], 'refer-in-person'],
    ] as const) {
      const answer = answerOf(NAEVUS, dispositions.map((d, i) => opinion(NAEVUS, d, i)))!;
      expect(answer.disposition).toBe(expected);
      expect(answer.management).toBe(`${expected} advice`);
    }
  });

  it('has no answer when no opinion agrees with the consensus given', () => {
    expect(answerOf(MELANOMA, [opinion(NAEVUS, 'reassure', 1)])).toBeNull();
  });
});
