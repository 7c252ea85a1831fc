// A case as a FHIR R4 Bundle (collection): ServiceRequest, Task, a Patient with no identifying data, an
// Observation of the patient's age, a Media per photo, a DiagnosticReport for the consensus and a confirmed
// Condition for the outcome the referrer recorded. Built from the
// case as the reader may see it, so blinding holds. Only core R4 elements, and no empty string or empty list
// anywhere (FHIR forbids both): an element without a value is left out. Checked against the official R4 JSON
// schema by test/unit/fhir/case-bundle.test.ts.
import { BODY_SITE_SYSTEM, bodySiteByCode } from '../cases/body-sites.js';
import type { CaseBody } from '../schemas/cases.js';
import type { CodeSystem, Diagnosis } from '../vocabulary.js';

type Resource = Record<string, unknown> & { resourceType: string; id: string };

const SYSTEMS: Record<CodeSystem, string> = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  snomed: 'http://snomed.info/sct',
};

const TASK_STATUS: Record<CaseBody['status'], string> = {
  queued: 'requested',
  in_review: 'in-progress',
  needs_info: 'on-hold',
  disputed: 'in-progress',
  answered: 'completed',
  closed: 'completed',
};

/** How the outcome was confirmed, as the Condition's evidence says it. */
const OUTCOME_EVIDENCE: Record<NonNullable<CaseBody['outcome']>['kind'], string> = {
  histology: 'Histology (biopsy)',
  clinical: 'Clinical course (response to treatment)',
};

const PRIORITY: Record<CaseBody['urgency'], string> = { routine: 'routine', soon: 'urgent', urgent: 'asap' };

/** Our ids are base64url; FHIR ids allow only [A-Za-z0-9.-], so they are carried as hex. */
export function fhirId(id: string): string {
  return Buffer.from(id, 'base64url').toString('hex') || id.replace(/[^A-Za-z0-9.-]/g, '-');
}

function entry(resource: Resource) {
  return { fullUrl: `urn:uuid:${toUuid(resource.id)}`, resource };
}

/** A stable UUID-shaped reference for bundle-internal links. */
function toUuid(hex: string): string {
  const h = hex.replace(/[^0-9a-f]/gi, '').padEnd(32, '0').slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function ref(resource: Resource) {
  return { reference: `urn:uuid:${toUuid(resource.id)}` };
}

function codeableDiagnosis(d: Diagnosis) {
  return {
    text: d.text,
    ...(d.code && d.system ? { coding: [{ system: SYSTEMS[d.system], code: d.code, display: d.text }] } : {}),
  };
}

/** The body site as the referrer wrote it, with its SNOMED CT body structure when they chose a region of the map. */
function codeableBodySite(c: CaseBody) {
  const site = c.bodySiteCode ? bodySiteByCode(c.bodySiteCode) : undefined;
  return {
    text: c.bodySite,
    ...(c.bodySiteCode ? { coding: [{ system: BODY_SITE_SYSTEM, code: c.bodySiteCode, ...(site ? { display: site.term } : {}) }] } : {}),
  };
}

export interface BundleOptions {
  /** Where a client fetches a photo's bytes. */
  photoUrl: (photoId: string) => string;
  /** When the bundle was made (epoch ms). */
  now: number;
}

export function caseToFhirBundle(c: CaseBody, { photoUrl, now }: BundleOptions): Record<string, unknown> {
  const caseHex = fhirId(c.id);
  const patient: Resource = {
    resourceType: 'Patient',
    id: `${caseHex.slice(0, 24)}0a`,
    // No name, identifier, address or birth date: the referring clinic keeps the link to the person.
    gender: c.sex,
  };
  // The age at referral, as a core Observation (LOINC 30525-0 "Age") rather than an extension of the Patient.
  const age: Resource = {
    resourceType: 'Observation',
    id: `${caseHex.slice(0, 24)}0e`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '30525-0', display: 'Age' }], text: 'Age at referral' },
    subject: ref(patient),
    effectiveDateTime: c.createdAt,
    valueQuantity: { value: c.ageYears, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' },
  };
  const serviceRequest: Resource = {
    resourceType: 'ServiceRequest',
    id: caseHex,
    status: c.status === 'closed' ? 'completed' : 'active',
    intent: 'order',
    priority: PRIORITY[c.urgency],
    category: [{ text: 'Teledermatology consultation' }],
    code: { text: 'Dermatology opinion on clinical photographs' },
    subject: ref(patient),
    authoredOn: c.createdAt,
    requester: { display: c.referrer.name },
    bodySite: [codeableBodySite(c)],
    reasonCode: [{ text: c.question }],
    ...(c.history.trim() ? { note: [{ text: c.history }] } : {}),
    supportingInfo: [ref(age), ...(c.fitzpatrick ? [{ display: `Fitzpatrick skin type ${c.fitzpatrick}` }] : [])],
  };
  const task: Resource = {
    resourceType: 'Task',
    id: `${caseHex.slice(0, 24)}0b`,
    status: TASK_STATUS[c.status],
    businessStatus: { text: c.status },
    intent: 'order',
    priority: PRIORITY[c.urgency],
    focus: ref(serviceRequest),
    for: ref(patient),
    authoredOn: c.createdAt,
    lastModified: c.updatedAt,
    owner: { display: `queue:${c.queue}` },
  };
  const media: Resource[] = c.photos.map((p) => ({
    resourceType: 'Media',
    id: fhirId(p.id),
    status: 'completed',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/media-type', code: 'image', display: 'Image' }] },
    modality: { text: p.kind },
    subject: ref(patient),
    basedOn: [ref(serviceRequest)],
    createdDateTime: p.createdAt,
    bodySite: codeableBodySite(c),
    width: p.width,
    height: p.height,
    content: { contentType: 'image/jpeg', url: photoUrl(p.id), size: p.bytes, title: `${p.kind} photo` },
    identifier: [{ system: 'urn:ietf:rfc:6920', value: `ni:///sha-256;${Buffer.from(p.sha256, 'hex').toString('base64url')}` }],
  }));
  const entries = [entry(serviceRequest), entry(task), entry(patient), entry(age), ...media.map(entry)];
  if (c.consensus) {
    const report: Resource = {
      resourceType: 'DiagnosticReport',
      id: `${caseHex.slice(0, 24)}0c`,
      status: 'final',
      code: { text: 'Teledermatology collective diagnosis' },
      subject: ref(patient),
      basedOn: [ref(serviceRequest)],
      issued: c.timeline.find((e) => e.status === 'answered')?.at ?? c.updatedAt,
      ...(c.opinions.length > 0 ? { resultsInterpreter: c.opinions.map((o) => ({ display: o.reviewer.name })) } : {}),
      ...(media.length > 0 ? { media: media.map((m) => ({ link: ref(m) })) } : {}),
      conclusion: `${c.consensus.text}${c.agreement !== null ? ` (agreement ${Math.round(c.agreement * 100)}%)` : ''}`,
      conclusionCode: [codeableDiagnosis(c.consensus)],
    };
    entries.push(entry(report));
  }
  if (c.outcome) {
    // What the case turned out to be, confirmed after the answer: the diagnosis of record, against which the
    // DiagnosticReport's can be measured.
    const condition: Resource = {
      resourceType: 'Condition',
      id: `${caseHex.slice(0, 24)}0f`,
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed', display: 'Confirmed' }] },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
      code: codeableDiagnosis(c.outcome.diagnosis),
      subject: ref(patient),
      recordedDate: c.outcome.recordedAt,
      recorder: { display: c.outcome.recordedBy.name },
      evidence: [{ code: [{ text: OUTCOME_EVIDENCE[c.outcome.kind] }] }],
      ...(c.outcome.notes?.trim() ? { note: [{ text: c.outcome.notes }] } : {}),
    };
    entries.push(entry(condition));
  }
  return {
    resourceType: 'Bundle',
    id: `${caseHex.slice(0, 24)}0d`,
    type: 'collection',
    timestamp: new Date(now).toISOString(),
    entry: entries,
  };
}
