import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES, ROUTING_RULES, routeCase } from '../../../src/cases/routing.js';
import type { RoutingInput } from '../../../src/cases/routing.js';

const adult = (fields: Partial<RoutingInput>): RoutingInput => ({
  ageYears: 40,
  history: '',
  question: '',
  bodySite: 'left forearm',
  ...fields,
});

describe('default queues', () => {
  it('seeds the six queues of the spec, each needing two opinions and described for people', () => {
    expect(DEFAULT_QUEUES.map((q) => q.slug)).toEqual([
      'general',
      'pigmented-lesions',
      'inflammatory',
      'infections-sti',
      'paediatric',
      'wounds-postop',
    ]);
    for (const queue of DEFAULT_QUEUES) {
      expect(queue.quorum).toBe(2);
      expect(queue.name.length).toBeGreaterThan(3);
      expect(queue.description.length).toBeGreaterThan(20);
    }
  });

  it('routes only to seeded queues', () => {
    const slugs = new Set<string>(DEFAULT_QUEUES.map((q) => q.slug));
    for (const rule of ROUTING_RULES) expect(slugs.has(rule.queue)).toBe(true);
  });
});

describe('routeCase: post-operative follow-up', () => {
  it.each([
    'Post-op check, day 10',
    'postop review please',
    'post op wound looks red',
    'Postoperative day 5',
    'post-operative bleeding',
    'Seen post operatively',
    'Red and swollen after surgery last week',
    'Healing after the excision of a BCC?',
    'Infant after port-wine-stain laser treatment, crusting',
    'Crusts after the procedure',
    'Surgical wound on the shin',
    'Sutures removed yesterday, edges gaping',
    'Stitches in place, oozing',
    'Wound dehiscence on day 7',
    'Dehisced scar',
    'Post-biopsy site slow to heal',
    'Excision site is lumpy',
  ])('sends "%s" to wounds-postop', (history) => {
    expect(routeCase(adult({ history }))).toBe('wounds-postop');
  });

  it('reads the question as well as the history', () => {
    expect(routeCase(adult({ question: 'Is this surgical wound infected?' }))).toBe('wounds-postop');
  });

  it('reads the body site, where "excision scar" says it all', () => {
    expect(routeCase(adult({ bodySite: 'Excision scar, upper back' }))).toBe('wounds-postop');
  });

  it('matches typographic hyphens typed on phones', () => {
    expect(routeCase(adult({ history: 'post\u2011op day 3' }))).toBe('wounds-postop');
  });

  it('does not take "post office" or a biopsy that merely confirmed a diagnosis for post-op', () => {
    expect(routeCase(adult({ history: 'Works at the post office, itchy rash' }))).toBe('general');
    expect(routeCase(adult({ history: 'Psoriasis confirmed after biopsy' }))).toBe('general');
    expect(routeCase(adult({ history: 'Operation theatre nurse with hand eczema' }))).toBe('general');
  });
});

describe('routeCase: paediatric', () => {
  it('sends patients under 16 to paediatric, including newborns of age 0', () => {
    expect(routeCase(adult({ ageYears: 15, history: 'itchy rash' }))).toBe('paediatric');
    expect(routeCase(adult({ ageYears: 0, history: 'red patch since birth' }))).toBe('paediatric');
  });

  it('keeps a 16-year-old with adults', () => {
    expect(routeCase(adult({ ageYears: 16, history: 'itchy rash' }))).toBe('general');
  });

  it('does not treat an unknown age as a child', () => {
    expect(routeCase({ ageYears: null, history: 'itchy rash', question: '', bodySite: '' })).toBe('general');
    expect(routeCase({ history: 'itchy rash' })).toBe('general');
  });
});

describe('routeCase: pigmented lesions', () => {
  it.each([
    'New mole on the back',
    'Several moles changing',
    'Naevus with irregular border',
    'Nevus on the sole',
    'Multiple naevi',
    'Atypical nevi',
    'Family history of melanoma',
    'Pigmented lesion, dark and growing',
    'Pigmented skin lesions on the face',
    'Nævus on the scalp',
  ])('sends "%s" to pigmented-lesions', (question) => {
    expect(routeCase(adult({ question }))).toBe('pigmented-lesions');
  });

  it('ignores case', () => {
    expect(routeCase(adult({ history: 'MELANOMA excised 2019' }))).toBe('pigmented-lesions');
    expect(routeCase(adult({ history: 'mOlE itches' }))).toBe('pigmented-lesions');
  });

  it('does not match "mole" inside molecular or molluscum, nor "nevi" inside "nevirapine"', () => {
    expect(routeCase(adult({ history: 'Awaiting molecular testing of a rash' }))).toBe('general');
    expect(routeCase(adult({ history: 'Started nevirapine, rash since' }))).toBe('general');
    expect(routeCase(adult({ history: 'Pearly papules, molluscum?' }))).toBe('infections-sti');
  });
});

describe('routeCase: infections and STIs', () => {
  it.each([
    'STI screen negative',
    'Worried about STIs',
    'Recent STD',
    'sexually transmitted?',
    'Syphilis serology pending',
    'Recurrent herpes',
    'Genital warts',
    'Gonorrhoea last year',
    'Treated for gonorrhea',
    'Chlamydia positive',
    'HIV positive on ART',
    'Infection?',
    'Looks infected',
    'Fungal?',
    'Tinea corporis',
    'Scabies in the household',
    'Spreading cellulitis',
    'Impetigo',
    'Abscess on the thigh',
  ])('sends "%s" to infections-sti', (history) => {
    expect(routeCase(adult({ history }))).toBe('infections-sti');
  });

  it('does not read "sti" inside "sting" or "still", "std" inside "standard", nor "hiv" inside "archive"', () => {
    expect(routeCase(adult({ history: 'Bee sting, swollen' }))).toBe('general');
    expect(routeCase(adult({ history: 'Still itchy after a month' }))).toBe('general');
    expect(routeCase(adult({ history: 'Photo from the archive' }))).toBe('general');
    expect(routeCase(adult({ history: 'Standard emollients did not help' }))).toBe('general');
  });

  it('ignores the body site, which says where and not what', () => {
    expect(routeCase(adult({ bodySite: 'genital', history: 'white itchy plaques' }))).toBe('general');
  });
});

describe('routeCase: priority order', () => {
  it('puts post-op follow-up before age: an infant after laser goes to wounds-postop', () => {
    expect(routeCase(adult({ ageYears: 1, history: 'After pulsed-dye laser for port-wine stain, blistering' }))).toBe(
      'wounds-postop',
    );
  });

  it('puts age before wording: a child with a mole goes to paediatric', () => {
    expect(routeCase(adult({ ageYears: 9, question: 'Changing mole?' }))).toBe('paediatric');
  });

  it('puts post-op before infection: an infected surgical wound goes to wounds-postop', () => {
    expect(routeCase(adult({ history: 'Infected wound after excision' }))).toBe('wounds-postop');
  });

  it('puts pigmented lesions before infections', () => {
    expect(routeCase(adult({ history: 'HIV positive, new dark mole' }))).toBe('pigmented-lesions');
  });

  it('falls back to general', () => {
    expect(routeCase(adult({ history: 'Itchy scaly plaques on elbows', question: 'Psoriasis?' }))).toBe('general');
    expect(routeCase({})).toBe('general');
  });
});
