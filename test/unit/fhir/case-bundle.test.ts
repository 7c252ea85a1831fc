import { describe, expect, it } from 'vitest';
import { caseToFhirBundle, fhirId } from '../../../src/fhir/case-bundle.js';
import type { CaseBody } from '../../../src/routes/case-views.js';

const answered: CaseBody = {
  id: 'q83vEjRWeJq83vEjRWeJqw',
  status: 'answered',
  queue: 'inflammatory',
  urgency: 'soon',
  patientRef: 'REF-1',
  ageYears: 30,
  sex: 'male',
  fitzpatrick: 4,
  bodySite: 'elbow',
  durationDays: 90,
  history: 'Scaly plaques',
  question: 'Psoriasis?',
  referrer: { id: 'r1', name: 'Dr Ref' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T05:00:00.000Z',
  photos: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA', kind: 'overview', width: 10, height: 20, bytes: 1234, sha256: 'ab'.repeat(32), removedMetadata: [], uploadedBy: 'user', createdAt: '2026-01-01T00:00:00.000Z' }],
  opinions: [
    { id: 'o1', reviewer: { id: 'a', name: 'Dr A' }, diagnosis: { text: 'Psoriasis vulgaris', code: 'L40.0', system: 'icd10' }, differential: [], confidence: 'high', management: 'Topical steroid', disposition: 'treat-locally', createdAt: '2026-01-01T02:00:00.000Z' },
    { id: 'o2', reviewer: { id: 'b', name: 'Dr B' }, diagnosis: { text: 'Plaque psoriasis', code: 'L40.0', system: 'icd10' }, differential: [], confidence: 'medium', management: 'Topical steroid', disposition: 'treat-locally', createdAt: '2026-01-01T03:00:00.000Z' },
  ],
  messages: [],
  timeline: [
    { status: 'queued', at: '2026-01-01T00:00:00.000Z', by: 'r1' },
    { status: 'answered', at: '2026-01-01T03:00:00.000Z', by: 'b' },
  ],
  consensus: { text: 'Psoriasis vulgaris', code: 'L40.0', system: 'icd10' },
  agreement: 1,
};

describe('FHIR bundle of a case', () => {
  it('adds a DiagnosticReport with the coded consensus once the case is answered', () => {
    const bundle = caseToFhirBundle(answered, (id) => `https://derm.example/api/v1/photos/${id}`) as { entry: { fullUrl: string; resource: Record<string, any> }[] };
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

  it('turns base64url ids into valid FHIR ids', () => {
    expect(fhirId('q83vEjRWeJq83vEjRWeJqw')).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(bundleIds())).toHaveProperty('size', bundleIds().length);
  });
});

function bundleIds(): string[] {
  const bundle = caseToFhirBundle(answered, (id) => id) as { entry: { resource: { id: string } }[] };
  return bundle.entry.map((e) => e.resource.id);
}
