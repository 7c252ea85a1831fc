import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';

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
    expect(types).toEqual(['ServiceRequest', 'Task', 'Patient', 'Media', 'Media']);
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
    const media = bundle.entry[3].resource;
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
});
