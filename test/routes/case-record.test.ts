// The structured record of a new case (SPEC "Outcomes and learning"): the body map's SNOMED CT code beside the
// free-text body site, and the patient's consent (teleconsultation always, teaching yes or no), kept and shown on
// the case, in lists and in the FHIR Bundle; a code not on the map or a refused teleconsultation stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { countRows, objectKeys, postCase } from '../helpers/cases.js';
import { auth } from '../helpers/review-kit.js';

const LEFT_FOREARM = '66480008';

describe('body site code and consent on a new case', () => {
  let t: TestApp;
  let clinician: string;
  beforeAll(async () => {
    t = await startTestApp();
    clinician = (await t.createUser('clinician')).token;
  });
  afterAll(async () => t.close());

  const read = (id: string) => t.http.get(`/api/v1/cases/${id}`).set(auth(clinician));

  it('keeps the body map code beside the text and the consent given, and shows them on the case and in the list', async () => {
    const created = await postCase(t, clinician, ['orient-1.jpg'], { bodySite: 'left forearm, flexor side', bodySiteCode: LEFT_FOREARM, consent: { teleconsultation: true, teaching: true } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ bodySite: 'left forearm, flexor side', bodySiteCode: LEFT_FOREARM, consent: { teleconsultation: true, teaching: true } });

    const view = await read(created.body.id);
    expect(view.body).toMatchObject({ bodySite: 'left forearm, flexor side', bodySiteCode: LEFT_FOREARM, consent: { teleconsultation: true, teaching: true } });
    const list = await t.http.get('/api/v1/cases').set(auth(clinician));
    const summary = (list.body.items as { id: string }[]).find((c) => c.id === created.body.id);
    expect(summary).toMatchObject({ bodySiteCode: LEFT_FOREARM, consent: { teleconsultation: true, teaching: true } });
    expect(await t.sql.one('select body_site_code, consent_teleconsultation, consent_teaching from cases where id = ?', created.body.id)).toEqual({
      body_site_code: LEFT_FOREARM,
      consent_teleconsultation: 1,
      consent_teaching: 1,
    });
  });

  it('records no code and consent to teleconsultation only when both are left out', async () => {
    const plain = await postCase(t, clinician, ['orient-1.jpg']);
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ bodySiteCode: null, consent: { teleconsultation: true, teaching: false } });
    expect((await read(plain.body.id)).body).toMatchObject({ bodySiteCode: null, consent: { teleconsultation: true, teaching: false } });

    const explicit = await postCase(t, clinician, ['orient-1.jpg'], { bodySiteCode: null, consent: { teleconsultation: true, teaching: false } });
    expect(explicit.status).toBe(201);
    expect(explicit.body).toMatchObject({ bodySiteCode: null, consent: { teleconsultation: true, teaching: false } });
  });

  it('refuses a code that is not a region of the body map, storing nothing', async () => {
    const [casesBefore, keysBefore] = [await countRows(t, 'cases'), await objectKeys(t)];
    // A well-formed SNOMED CT id that is not on the map (Clinical finding), one off by a digit, and words.
    for (const bodySiteCode of ['404684003', '66480009', 'left forearm', 66480008]) {
      const res = await postCase(t, clinician, ['orient-1.jpg'], { bodySiteCode });
      expect(res.status, String(bodySiteCode)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.message).toContain('case/bodySiteCode');
    }
    const offMap = await postCase(t, clinician, ['orient-1.jpg'], { bodySiteCode: '404684003' });
    expect(offMap.body.message).toBe('case/bodySiteCode is not a region of the body map (a SNOMED CT concept id of its table)');
    expect(await countRows(t, 'cases')).toBe(casesBefore);
    expect(await objectKeys(t)).toEqual(keysBefore);
  });

  it('refuses a case without consent to teleconsultation, in plain words and the reader’s language, storing nothing', async () => {
    const [casesBefore, keysBefore] = [await countRows(t, 'cases'), await objectKeys(t)];
    const refused = await postCase(t, clinician, ['orient-1.jpg'], { consent: { teleconsultation: false, teaching: true } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', message: "case/consent/teleconsultation: a case needs the patient's consent to teleconsultation" });
    const french = await postCase(t, clinician, ['orient-1.jpg'], { consent: { teleconsultation: false, teaching: false } }).set('accept-language', 'fr');
    expect(french.status).toBe(400);
    expect(french.body.message).toContain('téléconsultation');
    // The consent is both answers or none: a half or a stray field is refused too.
    for (const consent of [{ teleconsultation: true }, { teleconsultation: true, teaching: 'yes' }, { teleconsultation: true, teaching: false, research: true }, true]) {
      const res = await postCase(t, clinician, ['orient-1.jpg'], { consent });
      expect(res.status, JSON.stringify(consent)).toBe(400);
      expect(res.body.message).toContain('case/consent');
    }
    expect(await countRows(t, 'cases')).toBe(casesBefore);
    expect(await objectKeys(t)).toEqual(keysBefore);
  });

  it('gives the body site in the FHIR Bundle as SNOMED CT coding beside the text', async () => {
    const coded = await postCase(t, clinician, ['orient-1.jpg'], { bodySite: 'left forearm', bodySiteCode: LEFT_FOREARM });
    const fhir = await t.http.get(`/api/v1/cases/${coded.body.id}/fhir`).set(auth(clinician));
    expect(fhir.status).toBe(200);
    const resources = (JSON.parse(fhir.text) as { entry: { resource: Record<string, any> }[] }).entry.map((e) => e.resource);
    const site = { text: 'left forearm', coding: [{ system: 'http://snomed.info/sct', code: LEFT_FOREARM, display: 'Structure of left forearm' }] };
    expect(resources.find((r) => r.resourceType === 'ServiceRequest')!.bodySite).toEqual([site]);
    expect(resources.find((r) => r.resourceType === 'Media')!.bodySite).toEqual(site);

    const uncoded = await postCase(t, clinician, ['orient-1.jpg'], { bodySite: 'scalp' });
    const plain = JSON.parse((await t.http.get(`/api/v1/cases/${uncoded.body.id}/fhir`).set(auth(clinician))).text) as { entry: { resource: Record<string, any> }[] };
    expect(plain.entry[0]!.resource.bodySite).toEqual([{ text: 'scalp' }]);
  });
});
