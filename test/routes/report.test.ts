// The consult report read back as a clinic would: checked by qpdf, its text extracted by poppler's pdftotext,
// its images listed by pdfimages and its metadata read by pdfinfo.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';
import { auth, ECZEMA, PSORIASIS, PSORIASIS_REWORDED, reviewKit } from '../helpers/review-kit.js';

const run = promisify(execFile);

interface Report {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

describe('consult report (GET /api/v1/cases/:id/report.pdf)', () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let work: string;
  let files = 0;

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-report-'));
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await t.close();
  });

  async function getReport(token: string | null, caseId: string): Promise<Report> {
    let req = t.http.get(`/api/v1/cases/${caseId}/report.pdf`);
    if (token) req = req.set(auth(token));
    const res = await req.buffer(true).parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
    return { status: res.status, headers: res.headers, body: res.body as Buffer };
  }

  /** Writes the PDF where the poppler and qpdf tools can read it. */
  function saved(pdf: Buffer): string {
    const file = path.join(work, `report-${++files}.pdf`);
    fs.writeFileSync(file, pdf);
    return file;
  }

  async function tool(command: string, ...args: string[]): Promise<string> {
    return (await run(command, args, { maxBuffer: 16 * 1024 * 1024 })).stdout;
  }

  const pdfText = (file: string) => tool('pdftotext', '-enc', 'UTF-8', file, '-');

  /** The text from one heading up to the next, so that a test can say in which part something is. */
  function part(text: string, from: string, to: string): string {
    const start = text.indexOf(from);
    const end = text.indexOf(to, start + from.length);
    expect(start, `"${from}" in the report`).toBeGreaterThanOrEqual(0);
    expect(end, `"${to}" after "${from}"`).toBeGreaterThan(start);
    return text.slice(start, end);
  }

  /** A case answered two against one: psoriasis (two, one of them advising a biopsy) over eczema (urgent referral). */
  async function answeredTwoAgainstOne() {
    const slug = await kit.queue(2);
    const [a, b, c] = [
      await t.createUser('reviewer', { queues: [slug], name: 'Dr Amara Osei' }),
      await t.createUser('reviewer', { queues: [slug], name: 'Dr Bao Lin' }),
      await t.createUser('reviewer', { queues: [slug], name: 'Dr Carmen Ruiz' }),
    ];
    const bystander = await t.createUser('reviewer', { queues: [slug], name: 'Dr Dana Bystander' });
    const referrer = await t.createUser('clinician', { name: 'Dr Referring Clinician' });
    const opened = await kit.openCase(referrer.token, {
      queue: slug,
      patientRef: 'MRN-77/REPORT',
      history: 'Scaly plaques on both elbows for three months, worse in winter.',
      question: 'Psoriasis or eczema, and can it be treated here?',
    });
    await kit.claim(a.token, slug);
    await kit.claim(b.token, slug);
    expect((await kit.opinion(a.token, opened.id, PSORIASIS, { management: 'Potent topical steroid for four weeks' })).status).toBe(201);
    expect((await kit.opinion(b.token, opened.id, ECZEMA, { management: 'Refer to the skin clinic this week', disposition: 'urgent-referral' })).status).toBe(201);
    expect((await kit.claim(c.token, slug)).status).toBe(200);
    const settled = await kit.opinion(c.token, opened.id, PSORIASIS_REWORDED, { management: 'Biopsy the edge of the largest plaque', disposition: 'biopsy' });
    expect(settled.body.status).toBe('answered');
    return { slug, a, b, c, bystander, referrer, caseId: opened.id };
  }

  it('prints the answer of a 2-against-1 case, the dissent apart, the opinions and the photo, as a valid PDF', async () => {
    const { c, referrer, caseId } = await answeredTwoAgainstOne();
    const clockShift = 3 * 3600_000;
    t.clock.advance(clockShift);
    const printedFrom = t.clock.now();
    const res = await getReport(referrer.token, caseId).finally(() => t.clock.advance(-clockShift));
    const printedTo = printedFrom + 60_000;

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="consult-report-${caseId}.pdf"`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');

    const file = saved(res.body);
    expect(await tool('qpdf', '--check', file)).toContain('No syntax or stream encoding errors found');
    const text = await pdfText(file);

    expect(text).toContain('Consult report');
    expect(text).toContain(`Case: ${caseId}`);
    expect(text).toContain('Referrer: Dr Referring Clinician');
    expect(text).toContain('Urgency: Routine');
    expect(text).toContain('Patient reference: MRN-77/REPORT');
    expect(text).toContain('Question: Psoriasis or eczema, and can it be treated here?');
    expect(text).toContain('History: Scaly plaques on both elbows for three months, worse in winter.');
    // "Printed" comes from the app's clock, here three hours ahead of the wall clock.
    const printed = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect([printed(printedFrom), printed(printedTo)].some((at) => text.includes(`Printed: ${at}`)), text).toBe(true);

    // The advice is the majority's, whole: the most cautious of the two who agreed (biopsy), never the
    // dissent's urgent referral; the dissent stands apart with its own disposition.
    const advice = part(text, '\nAnswer\n', 'Dissenting opinion');
    expect(advice).toContain('2 of 3 specialists agreed');
    expect(advice).toContain('Diagnosis: Plaque psoriasis (ICD-10 L40.0)');
    expect(advice).toContain('Management: Biopsy the edge of the largest plaque');
    expect(advice).toContain('Disposition: Biopsy');
    expect(advice).not.toMatch(/eczema|urgent referral/i);
    const dissent = part(text, 'Dissenting opinion (not part of the advice)', '\nOpinions\n');
    expect(dissent).toContain('Diagnosis: Atopic eczema (ICD-10 L20.9)');
    expect(dissent).toContain('Disposition: Urgent referral');

    const opinions = part(text, '\nOpinions\n', '\nPhotos\n');
    for (const name of ['Dr Amara Osei', 'Dr Bao Lin', 'Dr Carmen Ruiz']) expect(opinions).toContain(name);
    for (const management of ['Potent topical steroid for four weeks', 'Refer to the skin clinic this week', 'Biopsy the edge of the largest plaque']) {
      expect(opinions).toContain(`Management: ${management}`);
    }
    expect(opinions).toContain('Diagnosis: Chronic plaque psoriasis (ICD-10 l40.0)');
    expect(text).toMatch(/Photo 1 of 1: Overview, \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toMatch(/page 1 of \d/);

    // The photo is embedded at its stored size (480 x 640, no larger than a display copy); neither the
    // client's file name nor anything else from the upload is anywhere in the file, even uncompressed.
    const images = (await tool('pdfimages', '-list', file)).trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    expect(images[0]!.trim().split(/\s+/).slice(3, 5)).toEqual(['480', '640']);
    const plain = path.join(work, 'plain.pdf');
    await tool('qpdf', '--qdf', '--object-streams=disable', file, plain);
    expect(fs.readFileSync(plain).toString('latin1')).not.toContain('orient-1');
    expect(text).not.toContain('orient-1');

    // The Info dictionary says what the file is, never whose.
    const info = await tool('pdfinfo', file);
    expect(info).toMatch(/^Title:\s+Consult report$/m);
    expect(info).toMatch(/^Producer:\s+Skin consult$/m);
    expect(info).not.toMatch(/MRN-77|Clinician|Osei|psoriasis/i);
    expect(await tool('qpdf', '--show-object=trailer', file)).not.toContain('MRN');

    // A reviewer of the panel reads the same report; each read is audited.
    const theirs = await getReport(c.token, caseId);
    expect(theirs.status).toBe(200);
    expect(await pdfText(saved(theirs.body))).toContain('2 of 3 specialists agreed');
    expect((await kit.auditActions(caseId)).filter((action) => action === 'case.read_report')).toHaveLength(2);
  });

  it('shows a reviewer of the queue who gave no opinion what the case page shows them: no answer, no opinions, no names', async () => {
    const { bystander, caseId } = await answeredTwoAgainstOne();
    const res = await getReport(bystander.token, caseId);
    expect(res.status).toBe(200);
    const text = (await pdfText(saved(res.body))).replace(/\s+/g, ' ');
    expect(text).toContain('Question: Psoriasis or eczema, and can it be treated here?');
    expect(text).toContain('The answer and the opinions are shown to the referrer, to the reviewers who gave an opinion on this case, and to admins.');
    expect(text).not.toMatch(/specialists agreed|Dissenting|Atopic eczema|Plaque psoriasis|Osei|Bao Lin|Carmen Ruiz/i);
  });

  it('answers 404 to those who may not read the case, 401 without a token, and 409 before the answer', async () => {
    const { slug, caseId } = await answeredTwoAgainstOne();
    const otherClinician = await t.createUser('clinician');
    const otherQueueReviewer = await t.createUser('reviewer', { queues: ['general'] });
    for (const token of [otherClinician.token, otherQueueReviewer.token]) {
      const res = await getReport(token, caseId);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await getReport(null, caseId)).status).toBe(401);
    expect((await getReport(otherClinician.token, 'no-such-case')).status).toBe(404);

    const referrer = await t.createUser('clinician');
    const waiting = await kit.openCase(referrer.token, { queue: slug });
    const early = await getReport(referrer.token, waiting.id);
    expect(early.status).toBe(409);
    expect(early.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(early.body.toString())).toMatchObject({ statusCode: 409, code: 'CASE_NOT_ANSWERED' });
    expect(await kit.auditActions(waiting.id)).not.toContain('case.read_report');
  });

  it('prints a case closed before any answer, and case text in Chinese, Greek and Cyrillic as written, emoji as U+FFFD', async () => {
    const referrer = await t.createUser('clinician');
    const history = '左前臂瘙痒性鳞屑斑块一个月，润肤剂无效。 Ελληνικά: έρυθημα. Сыпь на коже. Crème, naïve.';
    const opened = await kit.openCase(referrer.token, { history, bodySite: 'avant-bras gauche 左前臂', question: 'Is this eczema? 😀👍🏽 한국어' });
    expect((await t.http.post(`/api/v1/cases/${opened.id}/close`).set(auth(referrer.token))).status).toBe(200);

    const res = await getReport(referrer.token, opened.id);
    expect(res.status).toBe(200);
    const file = saved(res.body);
    expect(await tool('qpdf', '--check', file)).toContain('No syntax or stream encoding errors found');
    // pdftotext breaks long lines where the page does: compare the words, not the line breaks.
    const text = (await pdfText(file)).replace(/\s+/g, ' ');
    expect(text).toContain(`History: ${history}`);
    expect(text).toContain('Body site: avant-bras gauche 左前臂');
    // The smiley, the thumb with its skin tone, and each Korean syllable: one replacement character each.
    expect(text).toContain('Question: Is this eczema? \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD');
    expect(text).toContain('are shown as \uFFFD');
    expect(text).toContain('The case was closed before the specialists answered it.');
    expect(text).toMatch(/Closed: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const fonts = await tool('pdffonts', file);
    expect(fonts).toMatch(/\+NotoSans-Regular\s.*yes yes yes/);
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s.*yes yes yes/);
    expect(fonts).not.toContain('Helvetica');
  });

  it('prints a photo larger than a display copy from a smaller stored copy, never its full resolution', async () => {
    const referrer = await t.createUser('clinician');
    const large = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 200, g: 150, b: 130 } } }).jpeg({ quality: 90 }).toBuffer();
    const created = await postCase(t, referrer.token, [large], { queue: 'general' });
    expect(created.status).toBe(201);
    expect((await t.http.post(`/api/v1/cases/${created.body.id}/close`).set(auth(referrer.token))).status).toBe(200);
    const res = await getReport(referrer.token, created.body.id);
    expect(res.status).toBe(200);
    const [row] = (await tool('pdfimages', '-list', saved(res.body))).trim().split('\n').slice(2);
    const [width, height] = row!.trim().split(/\s+/).slice(3, 5).map(Number);
    expect(width! / height!).toBeCloseTo(1.5, 1);
    expect(Math.max(width!, height!)).toBeLessThanOrEqual(2048);
  });
});
