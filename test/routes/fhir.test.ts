import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { fixture } from '../helpers/images.js';
import { CASE_INPUT, postCase } from '../helpers/cases.js';
import { PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

describe('FHIR export', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('gives the case as a FHIR R4 Bundle with a Patient that carries no identifying data', async () => {
    const clinician = await t.createUser('clinician');
    const created = await postCase(t, clinician.token, ['orient-1.jpg', 'orient-2.jpg'], { patientRef: 'MRN-0042', urgency: 'urgent' });
    expect(created.status).toBe(201);
    const res = await t.http.get(`/api/v1/cases/${created.body.id}/fhir`).set('authorization', `Bearer ${clinician.token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(res.text);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types).toEqual(['ServiceRequest', 'Task', 'Patient', 'Observation', 'Media', 'Media']);
    for (const e of bundle.entry) {
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(e.resource.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
    }
    const patient = bundle.entry[2].resource;
    expect(patient).not.toHaveProperty('name');
    expect(patient).not.toHaveProperty('identifier');
    expect(patient).not.toHaveProperty('birthDate');
    expect(patient.gender).toBe('female');
    expect(res.text).not.toContain('MRN-0042');
    const serviceRequest = bundle.entry[0].resource;
    expect(serviceRequest).toMatchObject({ intent: 'order', priority: 'asap' });
    expect(serviceRequest.subject.reference).toBe(bundle.entry[2].fullUrl);
    const age = bundle.entry[3].resource;
    expect(age).toMatchObject({ resourceType: 'Observation', valueQuantity: { value: CASE_INPUT.ageYears, code: 'a' } });
    expect(serviceRequest.supportingInfo[0].reference).toBe(bundle.entry[3].fullUrl);
    const media = bundle.entry[4].resource;
    expect(media.content).toMatchObject({ contentType: 'image/jpeg', size: created.body.photos[0].bytes });
    expect(media.content.url).toMatch(new RegExp(`/api/v1/photos/${created.body.photos[0].id}$`));
    expect([media.width, media.height]).toEqual([480, 640]);
    expect(bundle.entry.some((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'DiagnosticReport')).toBe(false);
  });

  it('answers 404 to those who may not read the case', async () => {
    const owner = await t.createUser('clinician');
    const other = await t.createUser('clinician');
    const created = await postCase(t, owner.token, ['orient-1.jpg']);
    expect((await t.http.get(`/api/v1/cases/${created.body.id}/fhir`).set('authorization', `Bearer ${other.token}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/cases/${created.body.id}/fhir`)).status).toBe(401);
  });

  it('adds the consensus as a DiagnosticReport once the case is answered, and refuses photos after closing', async () => {
    const kit = reviewKit(t);
    const slug = await kit.queue(2);
    const [a, b] = await kit.reviewers(2, [slug]);
    const clinician = await t.createUser('clinician');
    const opened = await kit.openCase(clinician.token, { queue: slug });
    for (const [reviewer, diagnosis] of [[a!, PSORIASIS], [b!, PSORIASIS_REWORDED]] as const) {
      expect((await kit.claim(reviewer.token, slug)).status).toBe(200);
      expect((await kit.opinion(reviewer.token, opened.id, diagnosis)).status).toBe(201);
    }
    const res = await t.http.get(`/api/v1/cases/${opened.id}/fhir`).set('authorization', `Bearer ${clinician.token}`);
    const bundle = JSON.parse(res.text);
    const report = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'DiagnosticReport').resource;
    expect(report.status).toBe('final');
    expect(report.conclusionCode[0].coding[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/icd-10' });
    expect(report.resultsInterpreter).toHaveLength(2);

    expect((await t.http.post(`/api/v1/cases/${opened.id}/close`).set('authorization', `Bearer ${clinician.token}`)).status).toBe(200);
    const late = await t.http.post(`/api/v1/cases/${opened.id}/photos`).set('authorization', `Bearer ${clinician.token}`).attach('photos', fixture('orient-1.jpg'), 'x.jpg');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CASE_CLOSED');
  });
});
