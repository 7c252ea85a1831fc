// The demo network as data: its sites, accounts, and thirteen invented cases, each with the steps that bring it to
// the status it shows. Every name, reference and history here is made up; the photos are drawn by lesion-photos.ts.
import type { CaseStatus, Confidence, Disposition, PhotoKind, Sex, SiteTier, Urgency } from '../../src/vocabulary.js';
import type { FitzpatrickType, LesionPhotoSpec } from './lesion-photos.js';

export interface DemoAccount {
  key: string;
  role: 'admin' | 'clinician' | 'reviewer';
  email: string;
  name: string;
  password: string;
  /** Key of the site in DEMO_SITES. */
  site?: string;
  queues?: string[];
}

export const DEMO_SITES: { key: string; name: string; tier: SiteTier }[] = [
  { key: 'clinic', name: 'Riverbend Township Health Centre (demo)', tier: 'primary' },
  { key: 'hospital', name: 'Lakeside Regional Hospital, Dermatology (demo)', tier: 'tertiary' },
];

// Passwords pass the service's policy (12+ characters, not a common one) and are printed at every start:
// they guard demo data only.
export const DEMO_ADMIN: DemoAccount = { key: 'admin', role: 'admin', email: 'admin@demo.example', name: 'Administrator', password: 'demo-admin-passphrase' };

export const DEMO_CLINICIAN: DemoAccount = {
  key: 'clinician',
  role: 'clinician',
  email: 'nurse.reyes@demo.example',
  name: 'Nurse Tomas Reyes',
  password: 'demo-clinician-passphrase',
  site: 'clinic',
};

// Every queue has a reviewer (so routing keeps its choice) and at least two (so every case can reach quorum);
// the queues with three let a dispute be settled by a tie-breaking opinion.
export const DEMO_REVIEWERS = [
  {
    key: 'lindqvist',
    role: 'reviewer',
    email: 'dr.lindqvist@demo.example',
    name: 'Dr Ana Lindqvist',
    password: 'demo-reviewer-lindqvist',
    site: 'hospital',
    queues: ['general', 'pigmented-lesions', 'inflammatory', 'wounds-postop', 'paediatric'],
  },
  {
    key: 'adeyemi',
    role: 'reviewer',
    email: 'dr.adeyemi@demo.example',
    name: 'Dr Samuel Adeyemi',
    password: 'demo-reviewer-adeyemi',
    site: 'hospital',
    queues: ['general', 'pigmented-lesions', 'infections-sti', 'paediatric'],
  },
  {
    key: 'tanaka',
    role: 'reviewer',
    email: 'dr.tanaka@demo.example',
    name: 'Dr Mei Tanaka',
    password: 'demo-reviewer-tanaka',
    site: 'hospital',
    queues: ['general', 'pigmented-lesions', 'inflammatory', 'infections-sti', 'wounds-postop'],
  },
] as const satisfies readonly DemoAccount[];

export type ReviewerKey = (typeof DEMO_REVIEWERS)[number]['key'];

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [DEMO_ADMIN, DEMO_CLINICIAN, ...DEMO_REVIEWERS];

export interface DemoDiagnosis {
  text: string;
  code?: string;
  system?: 'icd10' | 'snomed';
}

export interface DemoOpinion {
  diagnosis: DemoDiagnosis;
  differential?: DemoDiagnosis[];
  confidence: Confidence;
  management: string;
  disposition: Disposition;
}

/** What happens to a case after it is sent, in order, each through the API as the named person. */
export type DemoStep =
  /** The reviewer claims the next case of its queue (it must be this one) and gives an opinion. */
  | { do: 'opinion'; by: ReviewerKey; opinion: DemoOpinion }
  /** The reviewer claims it and keeps holding it. */
  | { do: 'claim'; by: ReviewerKey }
  /** The reviewer claims it and asks the referrer a question (needs_info). */
  | { do: 'ask'; by: ReviewerKey; body: string }
  /** The referring clinician writes in the case's discussion (a reply to a question sends it back to the queue). */
  | { do: 'reply'; body: string }
  /** The clinician makes a follow-up link; the patient sends these photos with it, if any. */
  | { do: 'follow-up'; photos: DemoPhoto[] }
  | { do: 'close' };

export interface DemoPhoto {
  kind: PhotoKind;
  look: Omit<LesionPhotoSpec, 'fitzpatrick' | 'seed'>;
}

export interface DemoCase {
  input: {
    patientRef: string;
    ageYears: number;
    sex: Sex;
    fitzpatrick: FitzpatrickType;
    bodySite: string;
    durationDays: number;
    history: string;
    question: string;
    urgency: Urgency;
    /** Left out where the routing rules are meant to choose. */
    queue?: string;
  };
  /** The queue the case must land in (chosen or routed). */
  queue: string;
  photos: DemoPhoto[];
  steps: DemoStep[];
  expect: CaseStatus;
}

const icd10 = (text: string, code: string): DemoDiagnosis => ({ text, code, system: 'icd10' });

// Order matters: a claim takes the next waiting case of a queue, so each case is taken to its status before the
// next one is sent, and the cases left waiting come last.
export const DEMO_CASES: DemoCase[] = [
  {
    input: {
      patientRef: 'DEMO-001',
      ageYears: 72,
      sex: 'male',
      fitzpatrick: 1,
      bodySite: 'Right nasal ala',
      durationDays: 240,
      history:
        'Slowly enlarging shiny papule on the right side of the nose, first noticed about eight months ago. Bled once after washing. No previous skin cancer. Retired farmer, decades of outdoor work.',
      question: 'Is this a basal cell carcinoma, and should he be referred for excision?',
      urgency: 'soon',
      queue: 'general',
    },
    queue: 'general',
    photos: [
      { kind: 'overview', look: { lesion: 'nodule', view: 'overview' } },
      { kind: 'closeup', look: { lesion: 'nodule', view: 'closeup', ruler: true } },
      { kind: 'dermoscopy', look: { lesion: 'nodule', view: 'dermoscopy' } },
    ],
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: icd10('Nodular basal cell carcinoma', 'C44.3'),
          differential: [icd10('Intradermal naevus', 'D22.3'), icd10('Sebaceous hyperplasia', 'L73.8')],
          confidence: 'high',
          management: 'Pearly papule with arborising vessels: a typical nodular BCC. Refer for excision with 4 mm margins; Mohs surgery is worth considering at this site. Sun protection advice.',
          disposition: 'refer-in-person',
        },
      },
      {
        do: 'opinion',
        by: 'tanaka',
        opinion: {
          diagnosis: icd10('Basal cell carcinoma', 'C44.3'),
          differential: [icd10('Amelanotic melanoma', 'C43.3')],
          confidence: 'high',
          management: 'Looks like a nodular BCC. Routine referral to the dermatologic surgery list; no biopsy needed beforehand.',
          disposition: 'refer-in-person',
        },
      },
    ],
    expect: 'answered',
  },
  {
    input: {
      patientRef: 'DEMO-002',
      ageYears: 45,
      sex: 'male',
      fitzpatrick: 2,
      bodySite: 'Upper back, left of midline',
      durationDays: 120,
      history:
        'A mole his wife noticed had darkened and grown over the past four months. Now about 9 mm, irregular edge, two shades of brown and a grey-blue area. Occasionally itchy. No known family history of melanoma.',
      question: 'Does this need urgent excision?',
      urgency: 'soon',
      queue: 'pigmented-lesions',
    },
    queue: 'pigmented-lesions',
    photos: [
      { kind: 'overview', look: { lesion: 'pigmented-macule', view: 'overview' } },
      { kind: 'closeup', look: { lesion: 'pigmented-macule', view: 'closeup', ruler: true } },
      { kind: 'dermoscopy', look: { lesion: 'pigmented-macule', view: 'dermoscopy' } },
    ],
    // Two disagree (disputed), the third settles it 2 to 1: answered, with one dissenting opinion.
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: icd10('Melanoma in situ', 'D03.5'),
          differential: [icd10('Atypical (dysplastic) naevus', 'D22.5')],
          confidence: 'medium',
          management: 'Asymmetry, several colours and a blue-grey area on dermoscopy. Urgent referral for excision biopsy with 2 mm margins.',
          disposition: 'urgent-referral',
        },
      },
      {
        do: 'opinion',
        by: 'adeyemi',
        opinion: {
          diagnosis: icd10('Atypical (dysplastic) naevus', 'D22.5'),
          differential: [icd10('Melanoma in situ', 'D03.5')],
          confidence: 'medium',
          management: 'Regular network at the periphery; I favour a dysplastic naevus, but it has changed: excision biopsy to be sure.',
          disposition: 'biopsy',
        },
      },
      {
        do: 'opinion',
        by: 'tanaka',
        opinion: {
          diagnosis: icd10('Melanoma in situ', 'D03.5'),
          confidence: 'high',
          management: 'Regression structures and an atypical network in a changing lesion. Urgent referral to the pigmented lesion clinic for excision.',
          disposition: 'urgent-referral',
        },
      },
    ],
    expect: 'answered',
  },
  {
    input: {
      patientRef: 'DEMO-003',
      ageYears: 34,
      sex: 'male',
      fitzpatrick: 4,
      bodySite: 'Both elbows and knees',
      durationDays: 400,
      history:
        'Thick scaly plaques on the elbows and knees for over a year, worse in winter. Pitting of two fingernails. His father had similar flaking skin. Has tried an emollient only.',
      question: 'Psoriasis? What can we start here at the clinic?',
      urgency: 'routine',
      queue: 'inflammatory',
    },
    queue: 'inflammatory',
    photos: [
      { kind: 'closeup', look: { lesion: 'plaque', view: 'closeup', ruler: true } },
      { kind: 'overview', look: { lesion: 'plaque', view: 'overview' } },
    ],
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: icd10('Chronic plaque psoriasis', 'L40.0'),
          differential: [icd10('Lichen simplex chronicus', 'L28.0')],
          confidence: 'high',
          management: 'Calcipotriol with betamethasone gel once daily for 4 weeks, then at weekends; emollients. Ask about joint pain and stiffness: refer if arthritis is suspected.',
          disposition: 'treat-locally',
        },
      },
      {
        do: 'opinion',
        by: 'tanaka',
        opinion: {
          diagnosis: icd10('Psoriasis vulgaris', 'L40.0'),
          confidence: 'high',
          management: 'Agree: topical vitamin D analogue with a potent steroid. Review in 6 weeks; nail pitting alone needs no treatment.',
          disposition: 'treat-locally',
        },
      },
      { do: 'reply', body: 'Thank you both. Started calcipotriol/betamethasone gel today; we will review him at the clinic in 6 weeks.' },
      { do: 'close' },
    ],
    expect: 'closed',
  },
  {
    input: {
      patientRef: 'DEMO-004',
      ageYears: 52,
      sex: 'female',
      fitzpatrick: 5,
      bodySite: 'Left upper arm, excision site',
      durationDays: 7,
      history:
        'Day 7 after excision of an epidermoid cyst at the district hospital. Six interrupted sutures. Mild redness around the wound, no discharge, no fever.',
      question: 'Is this healing normally, and can the sutures come out at day 10?',
      urgency: 'soon',
      // Routed: "after excision" and "sutures" send it to wounds-postop.
    },
    queue: 'wounds-postop',
    photos: [
      { kind: 'closeup', look: { lesion: 'suture-line', view: 'closeup', ruler: true } },
      { kind: 'overview', look: { lesion: 'suture-line', view: 'overview' } },
    ],
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: { text: 'Normally healing surgical wound' },
          confidence: 'high',
          management: 'Mild redness at the wound edge is expected at day 7. Remove the sutures at day 10 to 12. Return if redness spreads, pain increases or there is discharge.',
          disposition: 'reassure',
        },
      },
      {
        do: 'opinion',
        by: 'tanaka',
        opinion: {
          diagnosis: { text: 'Normally healing surgical wound' },
          differential: [icd10('Superficial wound infection', 'T81.4')],
          confidence: 'high',
          management: 'No sign of infection. Sutures out at day 10; a follow-up photo a week later would be welcome.',
          disposition: 'reassure',
        },
      },
      {
        do: 'follow-up',
        photos: [
          { kind: 'followup', look: { lesion: 'suture-line', view: 'closeup', healing: 0.6, ruler: true } },
          { kind: 'followup', look: { lesion: 'suture-line', view: 'closeup', healing: 0.9 } },
        ],
      },
    ],
    expect: 'answered',
  },
  {
    input: {
      patientRef: 'DEMO-005',
      ageYears: 58,
      sex: 'female',
      fitzpatrick: 5,
      bodySite: 'Sole of the right foot, heel',
      durationDays: 180,
      history: 'Dark brown-black patch on the heel, first noticed six months ago and slowly enlarging. About 7 mm. Not painful. Often walks barefoot at home.',
      question: 'Benign acral naevus, or does this need a biopsy?',
      urgency: 'soon',
      queue: 'pigmented-lesions',
    },
    queue: 'pigmented-lesions',
    photos: [
      { kind: 'closeup', look: { lesion: 'pigmented-macule', view: 'closeup', ruler: true } },
      { kind: 'dermoscopy', look: { lesion: 'pigmented-macule', view: 'dermoscopy' } },
    ],
    // Two disagree: disputed, waiting for the third reviewer's tie-breaking opinion.
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: icd10('Acral melanocytic naevus', 'D22.7'),
          confidence: 'medium',
          management: 'Pigment follows the furrows on dermoscopy. Photograph again with a ruler in 3 months; biopsy if it grows.',
          disposition: 'reassure',
        },
      },
      {
        do: 'opinion',
        by: 'adeyemi',
        opinion: {
          diagnosis: icd10('Acral lentiginous melanoma', 'C43.7'),
          differential: [icd10('Acral melanocytic naevus', 'D22.7')],
          confidence: 'medium',
          management: 'Pigment on the ridges and a diffuse irregular area, over 7 mm in an adult and growing: urgent referral for a full-thickness biopsy.',
          disposition: 'urgent-referral',
        },
      },
    ],
    expect: 'disputed',
  },
  {
    input: {
      patientRef: 'DEMO-006',
      ageYears: 29,
      sex: 'female',
      fitzpatrick: 3,
      bodySite: 'Both hands, backs and between the fingers',
      durationDays: 21,
      history: 'Itchy, red, scaly rash on both hands for three weeks. Started work as a cleaner at the township school last month. No rash elsewhere. Hand cream has not helped.',
      question: 'Contact dermatitis or something else? What should she use?',
      urgency: 'routine',
      queue: 'inflammatory',
    },
    queue: 'inflammatory',
    photos: [{ kind: 'closeup', look: { lesion: 'blotch', view: 'closeup', ruler: true } }],
    steps: [
      {
        do: 'ask',
        by: 'tanaka',
        body: 'Which cleaning products and gloves does she use, and is it better at weekends? Please add a photo of the palms and the finger webs: I would like to rule out scabies.',
      },
    ],
    expect: 'needs_info',
  },
  {
    input: {
      patientRef: 'DEMO-007',
      ageYears: 71,
      sex: 'male',
      fitzpatrick: 1,
      bodySite: 'Right shin',
      durationDays: 365,
      history: 'Red scaly patch on the right shin, about 3 cm, growing slowly over a year. Not itchy. Outdoor worker for forty years.',
      question: "Bowen's disease? Does it need treatment?",
      urgency: 'routine',
      queue: 'general',
    },
    queue: 'general',
    photos: [
      { kind: 'closeup', look: { lesion: 'plaque', view: 'closeup', ruler: true, healing: 0.4 } },
      { kind: 'overview', look: { lesion: 'plaque', view: 'overview', healing: 0.4 } },
    ],
    // A question, the referrer's answer (back to the queue), and another reviewer taking it.
    steps: [
      { do: 'ask', by: 'lindqvist', body: 'Has it ever bled, crusted or ulcerated? Can you feel a firm lump within it?' },
      { do: 'reply', body: 'No bleeding or crusting. No lump that I can feel: it is flat and slightly rough.' },
      { do: 'claim', by: 'adeyemi' },
    ],
    expect: 'in_review',
  },
  {
    input: {
      patientRef: 'DEMO-008',
      ageYears: 6,
      sex: 'male',
      fitzpatrick: 3,
      bodySite: 'Trunk and left armpit',
      durationDays: 60,
      history: 'Small pearly bumps with a central dimple on the trunk for two months, more appearing. Mild itch around some. His younger sister has similar spots.',
      question: 'Molluscum? Do they need treatment?',
      urgency: 'routine',
      // Routed: a child goes to the paediatric queue.
    },
    queue: 'paediatric',
    photos: [
      { kind: 'closeup', look: { lesion: 'papules', view: 'closeup', ruler: true } },
      { kind: 'overview', look: { lesion: 'papules', view: 'overview' } },
    ],
    // One opinion given, the second reviewer holds it.
    steps: [
      {
        do: 'opinion',
        by: 'lindqvist',
        opinion: {
          diagnosis: icd10('Molluscum contagiosum', 'B08.1'),
          confidence: 'high',
          management: 'Clears by itself over 6 to 18 months; no treatment needed. Avoid scratching and shared towels. Eczema around the spots can take a mild steroid cream.',
          disposition: 'reassure',
        },
      },
      { do: 'claim', by: 'adeyemi' },
    ],
    expect: 'in_review',
  },
  {
    input: {
      patientRef: 'DEMO-009',
      ageYears: 44,
      sex: 'male',
      fitzpatrick: 4,
      bodySite: 'Left lower leg, front',
      durationDays: 28,
      history: 'Ulcer on the shin that began as a scratch while working in the fields four weeks ago. Painful, yellow base, warm skin around it. Type 2 diabetes on metformin. No fever.',
      question: 'Infected ulcer? Which antibiotic, and should we take a swab?',
      urgency: 'soon',
      // Routed: "infected" sends it to infections-sti.
    },
    queue: 'infections-sti',
    photos: [
      { kind: 'closeup', look: { lesion: 'ulcer', view: 'closeup', ruler: true } },
      { kind: 'overview', look: { lesion: 'ulcer', view: 'overview' } },
    ],
    steps: [{ do: 'claim', by: 'adeyemi' }],
    expect: 'in_review',
  },
  {
    input: {
      patientRef: 'DEMO-010',
      ageYears: 66,
      sex: 'female',
      fitzpatrick: 2,
      bodySite: 'Upper back',
      durationDays: 730,
      history: 'Several warty, stuck-on plaques on the back for years; one has become irritated under her bra strap.',
      question: 'Seborrhoeic keratoses? Can the irritated one be frozen here?',
      urgency: 'routine',
      queue: 'general',
    },
    queue: 'general',
    photos: [{ kind: 'closeup', look: { lesion: 'plaque', view: 'closeup', healing: 0.7 } }],
    steps: [
      { do: 'reply', body: "She was seen in person at the district hospital's skin clinic this week, so I am closing this referral." },
      { do: 'close' },
    ],
    expect: 'closed',
  },
  {
    input: {
      patientRef: 'DEMO-011',
      ageYears: 38,
      sex: 'female',
      fitzpatrick: 6,
      bodySite: 'Trunk, arms and lips',
      durationDays: 3,
      history:
        'Widespread dusky red rash for three days, starting two weeks after she began carbamazepine. Now some blisters, a sore mouth and crusted lips. Temperature 38.4 °C.',
      question: 'Could this be Stevens-Johnson syndrome? Should she be transferred today?',
      urgency: 'urgent',
      queue: 'general',
    },
    queue: 'general',
    photos: [
      { kind: 'overview', look: { lesion: 'blotch', view: 'overview' } },
      { kind: 'closeup', look: { lesion: 'papules', view: 'closeup', ruler: true } },
    ],
    steps: [],
    expect: 'queued',
  },
  {
    input: {
      patientRef: 'DEMO-012',
      ageYears: 25,
      sex: 'male',
      fitzpatrick: 3,
      bodySite: 'Arms and trunk',
      durationDays: 42,
      history: 'Itchy raised wheals that come and go within a day, most days for six weeks. No swelling of the lips or tongue. No new medicines.',
      question: 'Chronic urticaria? Which antihistamine, and at what dose?',
      urgency: 'routine',
      queue: 'inflammatory',
    },
    queue: 'inflammatory',
    photos: [{ kind: 'overview', look: { lesion: 'blotch', view: 'overview', healing: 0.3 } }],
    steps: [],
    expect: 'queued',
  },
  {
    input: {
      patientRef: 'DEMO-013',
      ageYears: 63,
      sex: 'male',
      fitzpatrick: 2,
      bodySite: 'Scalp, vertex, excision site',
      durationDays: 12,
      history:
        'Excision of a squamous cell carcinoma on the scalp 12 days ago; sutures removed yesterday. Today the middle of the wound has opened for about 1 cm, with a little clear discharge.',
      question: 'Wound dehiscence: can it heal by itself, or does it need closing again?',
      urgency: 'soon',
      queue: 'wounds-postop',
    },
    queue: 'wounds-postop',
    photos: [{ kind: 'closeup', look: { lesion: 'suture-line', view: 'closeup', healing: 0.55, ruler: true } }],
    // A link made for the patient, not used yet.
    steps: [{ do: 'follow-up', photos: [] }],
    expect: 'queued',
  },
];
