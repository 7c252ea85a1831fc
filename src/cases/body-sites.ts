// The regions of the body map a referrer points at, each coded as a SNOMED CT body structure, so that a case's
// site is kept as a code beside its free text. Shared by the server and the browser (virtual:body-sites): no imports.
//
// Source: SNOMED CT International Edition, body structure hierarchy; the English names are the concepts' terms
// there. SNOMED CT is © SNOMED International: only its concept ids and terms are used, as identifiers; a site
// that records them needs SNOMED CT's affiliate licence, free in member countries and low-income countries
// (README, "Codes and their sources"). Region ids are stable: the web app draws them, cases keep the concept id.

export const BODY_SITE_SYSTEM = 'http://snomed.info/sct';

export const BODY_MAP_SIDES = ['front', 'back'] as const;
export type BodyMapSide = (typeof BODY_MAP_SIDES)[number];

export interface BodySite {
  /** Stable id of the region on the map, e.g. 'left-forearm'. Left and right are the patient's. */
  region: string;
  /** The view of the map it is drawn on. */
  side: BodyMapSide;
  /** SNOMED CT body structure concept id. */
  code: string;
  /** The concept's English term in SNOMED CT. */
  term: string;
}

export const BODY_SITES: readonly BodySite[] = [
  // Front: head and neck
  { region: 'forehead', side: 'front', code: '52795006', term: 'Forehead structure' },
  { region: 'nose', side: 'front', code: '45206002', term: 'Nasal structure' },
  { region: 'cheeks', side: 'front', code: '60819002', term: 'Cheek structure' },
  { region: 'lips', side: 'front', code: '48477009', term: 'Lip structure' },
  { region: 'chin', side: 'front', code: '30291003', term: 'Chin structure' },
  { region: 'neck', side: 'front', code: '45048000', term: 'Neck structure' },
  // Front: trunk
  { region: 'chest', side: 'front', code: '63698005', term: 'Anterior chest wall structure' },
  { region: 'armpits', side: 'front', code: '91470000', term: 'Axillary region structure' },
  { region: 'abdomen', side: 'front', code: '818983003', term: 'Abdomen structure' },
  { region: 'genital-area', side: 'front', code: '263767004', term: 'Genital structure' },
  // Front: arms and hands
  { region: 'right-shoulder', side: 'front', code: '91774008', term: 'Structure of right shoulder region' },
  { region: 'left-shoulder', side: 'front', code: '91775009', term: 'Structure of left shoulder region' },
  { region: 'right-upper-arm', side: 'front', code: '368209003', term: 'Right upper arm structure' },
  { region: 'left-upper-arm', side: 'front', code: '368208006', term: 'Left upper arm structure' },
  { region: 'right-forearm', side: 'front', code: '64262003', term: 'Structure of right forearm' },
  { region: 'left-forearm', side: 'front', code: '66480008', term: 'Structure of left forearm' },
  { region: 'right-wrist', side: 'front', code: '9736006', term: 'Structure of right wrist region' },
  { region: 'left-wrist', side: 'front', code: '5951000', term: 'Structure of left wrist region' },
  { region: 'right-palm', side: 'front', code: '789217004', term: 'Structure of palm of right hand' },
  { region: 'left-palm', side: 'front', code: '789216008', term: 'Structure of palm of left hand' },
  { region: 'fingers', side: 'front', code: '7569003', term: 'Finger structure' },
  // Front: legs and feet
  { region: 'right-thigh', side: 'front', code: '11207009', term: 'Structure of right thigh' },
  { region: 'left-thigh', side: 'front', code: '61396006', term: 'Structure of left thigh' },
  { region: 'right-knee', side: 'front', code: '6757004', term: 'Structure of right knee region' },
  { region: 'left-knee', side: 'front', code: '82169009', term: 'Structure of left knee region' },
  { region: 'right-lower-leg', side: 'front', code: '32696007', term: 'Structure of right lower leg' },
  { region: 'left-lower-leg', side: 'front', code: '48979004', term: 'Structure of left lower leg' },
  { region: 'right-ankle', side: 'front', code: '6685009', term: 'Structure of right ankle' },
  { region: 'left-ankle', side: 'front', code: '51636004', term: 'Structure of left ankle' },
  { region: 'right-foot', side: 'front', code: '7769000', term: 'Structure of right foot' },
  { region: 'left-foot', side: 'front', code: '22335008', term: 'Structure of left foot' },
  { region: 'toes', side: 'front', code: '29707007', term: 'Toe structure' },
  // Back
  { region: 'scalp', side: 'back', code: '41695006', term: 'Scalp structure' },
  { region: 'ears', side: 'back', code: '117590005', term: 'Ear structure' },
  { region: 'upper-back', side: 'back', code: '76052000', term: 'Structure of posterior chest wall' },
  { region: 'lower-back', side: 'back', code: '37822005', term: 'Lower back structure' },
  { region: 'buttocks', side: 'back', code: '46862004', term: 'Buttock structure' },
  { region: 'right-elbow', side: 'back', code: '368149001', term: 'Right elbow region structure' },
  { region: 'left-elbow', side: 'back', code: '368148009', term: 'Left elbow region structure' },
  { region: 'right-back-of-hand', side: 'back', code: '789219001', term: 'Structure of dorsum of right hand' },
  { region: 'left-back-of-hand', side: 'back', code: '789218009', term: 'Structure of dorsum of left hand' },
  { region: 'calves', side: 'back', code: '53840002', term: 'Structure of calf of leg' },
  { region: 'heels', side: 'back', code: '76853006', term: 'Heel structure' },
  { region: 'soles', side: 'back', code: '57999000', term: 'Structure of sole of foot' },
];

const BY_CODE = new Map(BODY_SITES.map((site) => [site.code, site]));

/** The map's region for a SNOMED CT concept id, or undefined when the code is not one of ours. */
export function bodySiteByCode(code: string): BodySite | undefined {
  return BY_CODE.get(code);
}
