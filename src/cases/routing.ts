// Picks the specialist queue for a new case that arrived without one, from its age and wording.
// A triage default only: reviewers can reroute, so the rules favour clear signals over cleverness.

/** The six queues seeded on first start. Admins may add more; those are plain strings elsewhere. */
export const DEFAULT_QUEUES = [
  {
    slug: 'general',
    name: 'General dermatology',
    quorum: 2,
    description: 'Anything that fits no specialist queue, or where the referrer is unsure where it belongs.',
  },
  {
    slug: 'pigmented-lesions',
    name: 'Pigmented lesions and melanoma',
    quorum: 2,
    description: 'Moles, naevi, changing or new pigmented lesions and suspected melanoma; dermoscopy welcome.',
  },
  {
    slug: 'inflammatory',
    name: 'Inflammatory skin disease',
    quorum: 2,
    description: 'Eczema, psoriasis, acne, urticaria, drug eruptions and other rashes.',
  },
  {
    slug: 'infections-sti',
    name: 'Skin infections and STIs',
    quorum: 2,
    description: 'Bacterial, viral, fungal and parasitic skin infections, and sexually transmitted infections.',
  },
  {
    slug: 'paediatric',
    name: 'Paediatric dermatology',
    quorum: 2,
    description: 'Children and adolescents under 16, including birthmarks and infantile haemangiomas.',
  },
  {
    slug: 'wounds-postop',
    name: 'Wounds and post-operative follow-up',
    quorum: 2,
    description: 'Healing checks after surgery, excision, biopsy or laser; suture lines, dehiscence and wound infection.',
  },
] as const satisfies readonly QueueDefinition[];

export interface QueueDefinition {
  slug: string;
  name: string;
  quorum: number;
  description: string;
}

export type QueueSlug = (typeof DEFAULT_QUEUES)[number]['slug'];

/** The case fields routing reads; everything may be missing on a sloppy referral. */
export interface RoutingInput {
  ageYears?: number | null;
  history?: string | null;
  question?: string | null;
  bodySite?: string | null;
}

type TextField = 'history' | 'question' | 'bodySite';

export interface RoutingRule {
  queue: QueueSlug;
  /** Why the rule exists, for the reader of this table. */
  reason: string;
  /** Which free-text fields the keywords are matched against. */
  fields?: readonly TextField[];
  keywords?: readonly RegExp[];
  /** A structured condition, for rules that are not about wording. */
  when?: (input: RoutingInput) => boolean;
}

// Every pattern is case-insensitive and bounded by \b so that "mole" leaves "molecular" and
// "molluscum" alone and "STI" leaves "sting" and "still" alone.
const POST_OP_KEYWORDS: readonly RegExp[] = [
  /\bpost[\s-]?op(?:erative(?:ly)?)?\b/i, // post-op, postop, post op, postoperative, post-operatively
  /\bpost[\s-]?(?:surgery|surgical|excision|procedur(?:e|al)|laser|biopsy)\b/i,
  // "after surgery", "after the excision", "after port-wine-stain laser treatment". Not "after
  // biopsy": histories say "melanoma confirmed after biopsy" about the diagnosis, not a wound.
  /\bafter\s+(?:[\w-]+\s+){0,3}?(?:surgery|surgical|operation|excision|procedure|laser|cryotherapy|curettage|mohs)\b/i,
  /\bsurgical\s+(?:wounds?|sites?|scars?|incisions?)\b/i,
  /\b(?:excision|biopsy|incision|graft)\s+(?:sites?|wounds?|scars?)\b/i,
  /\b(?:sutures?|sutured|stitch(?:es)?|staples)\b/i,
  /\b(?:wound\s+)?dehisc(?:ence|ed)\b/i,
  /\bskin\s+grafts?\b/i,
];

const PIGMENTED_KEYWORDS: readonly RegExp[] = [
  /\bmoles?\b/i,
  /\bn(?:ae|æ|e)v(?:us|i|uses)\b/i, // naevus, nævus, nevus and the plurals naevi, nevi, nevuses
  /\bmelanomas?\b/i,
  /\bpigmented\s+(?:skin\s+)?lesions?\b/i,
  /\bmelanocytic\b/i,
];

const INFECTION_KEYWORDS: readonly RegExp[] = [
  /\bST[ID]s?\b/i,
  /\bsexually[\s-]+transmitted\b/i,
  /\bsyphil(?:is|itic)\b/i,
  /\bchancres?\b/i,
  /\bherpe(?:s|tic)\b/i,
  /\bgenital\s+warts?\b/i,
  /\bcondylomata?\b/i,
  /\bgonorrh\w*/i,
  /\bgonococ\w*/i,
  /\bchlamydia\w*/i,
  /\bHIV\b/i,
  /\bHPV\b/i,
  /\binfect(?:s|ed|ion|ions|ious|ive)?\b/i,
  /\b(?:fungal|fungus)\b/i,
  /\btinea\b/i,
  /\bcandid(?:a|al|iasis)\b/i,
  /\bscabies\b/i,
  /\bcellulitis\b/i,
  /\bimpetigo\b/i,
  /\babscess(?:es)?\b/i,
  /\b(?:shingles|zoster)\b/i,
  /\bmolluscum\b/i,
  /\b(?:mpox|monkeypox)\b/i,
  /\bleprosy\b/i,
];

/**
 * First matching rule wins, so order is priority.
 *
 * Post-operative follow-up outranks age: a wound check is the same task whatever the patient's
 * age, and the seed study sends infants seen after port-wine-stain laser to wounds-postop.
 * Age outranks wording: paediatric reviewers take children's moles and infections too.
 * Pigmented lesions outrank infections, as a missed melanoma costs more than a delayed tinea.
 * Nothing routes to `inflammatory` by wording yet: its vocabulary overlaps every other queue,
 * so the referrer picks it or a reviewer reroutes.
 */
export const ROUTING_RULES: readonly RoutingRule[] = [
  {
    queue: 'wounds-postop',
    reason: 'post-operative or post-procedure follow-up',
    // A body site such as "excision scar, back" is as telling as the history.
    fields: ['history', 'question', 'bodySite'],
    keywords: POST_OP_KEYWORDS,
  },
  {
    queue: 'paediatric',
    reason: 'patient younger than 16',
    when: (input) => typeof input.ageYears === 'number' && Number.isFinite(input.ageYears) && input.ageYears < 16,
  },
  {
    queue: 'pigmented-lesions',
    reason: 'mole, naevus, melanoma or pigmented lesion mentioned',
    fields: ['history', 'question'],
    keywords: PIGMENTED_KEYWORDS,
  },
  {
    queue: 'infections-sti',
    reason: 'infection or sexually transmitted infection mentioned',
    // Not the body site: "genital" or "groin" says where, not what.
    fields: ['history', 'question'],
    keywords: INFECTION_KEYWORDS,
  },
];

export const FALLBACK_QUEUE: QueueSlug = 'general';

/** Routes a case without a queue; returns `general` when no rule applies. */
export function routeCase(input: RoutingInput): QueueSlug {
  for (const rule of ROUTING_RULES) {
    if (ruleMatches(rule, input)) return rule.queue;
  }
  return FALLBACK_QUEUE;
}

function ruleMatches(rule: RoutingRule, input: RoutingInput): boolean {
  if (rule.when?.(input)) return true;
  if (!rule.keywords || rule.keywords.length === 0) return false;
  const text = (rule.fields ?? ['history', 'question'])
    .map((field) => normalizeForMatching(input[field] ?? ''))
    .join('\n');
  return rule.keywords.some((pattern) => pattern.test(text));
}

// Phones type typographic dashes and accented letters; fold them so "post‑op" (non-breaking
// hyphen) and "nævus" meet the same patterns as their plain spellings.
function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}
