// The outcome in a real browser (issue 19): the referrer of an answered case records what the biopsy showed,
// taking the diagnosis from the ICD-10 list; a reviewer of the panel, with the case open, sees it arrive; the
// referrer changes it later; the reviewer finds their concordance on their queues page and the admin every
// reviewer's, and each queue's, on the statistics page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApp, type TestApp } from '../helpers/app.js';
import { DESKTOP, hasChromium, launchBrowser, OpenedPages, PHONE, poll, screenshot, signIn, unlabelledControls } from '../helpers/browser.js';
import { auth, PSORIASIS, reviewKit } from '../helpers/review-kit.js';

interface User {
  id: string;
  email: string;
  password: string;
  token: string;
}

describe.skipIf(!hasChromium)('web app: the outcome of a case', { timeout: 180_000 }, () => {
  let t: TestApp;
  let kit: ReturnType<typeof reviewKit>;
  let browser: Browser;
  let baseUrl: string;
  let clinician: User;
  let reviewers: User[];
  let queue: string;
  let caseId: string;
  const opened = new OpenedPages();

  async function signedIn(user: { email: string; password: string }, viewport = PHONE): Promise<Page> {
    const page = await opened.open(browser, baseUrl, viewport);
    await signIn(page, user.email, user.password);
    return page;
  }

  async function openCase(page: Page) {
    await page.goto(`/#/cases/${caseId}`);
    await page.locator(`#case-page[data-case-id="${caseId}"]`).waitFor();
  }

  beforeAll(async () => {
    t = await startTestApp();
    kit = reviewKit(t);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    queue = await kit.queue(2);
    clinician = await t.createUser('clinician', { name: 'Nurse Amara Diallo' });
    reviewers = [await t.createUser('reviewer', { queues: [queue], name: 'Dr Lena Park' }), await t.createUser('reviewer', { queues: [queue], name: 'Dr Tomas Reyes' })];
    caseId = (await kit.openCase(clinician.token, { queue, patientRef: 'HC-0777', bodySite: 'Left elbow' })).id;
    for (const r of reviewers) expect((await kit.claim(r.token, queue)).body.id).toBe(caseId);
    for (const r of reviewers) expect((await kit.opinion(r.token, caseId, PSORIASIS)).status).toBe(201);
  });

  afterAll(async () => {
    opened.expectNoProblems();
    await browser?.close();
    await t?.close();
  });

  it('lets the referrer record the biopsy’s result, the diagnosis taken from the ICD-10 list, and shows it to the panel live', async () => {
    const reviewerPage = await signedIn(reviewers[0]!, DESKTOP);
    await openCase(reviewerPage);
    expect(await reviewerPage.locator('#outcome').count()).toBe(0);

    const page = await signedIn(clinician);
    await openCase(page);
    const card = page.locator('#outcome');
    await expect(card.getByRole('heading', { name: 'Outcome' }).isVisible()).resolves.toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);

    // Nothing filled in: both problems said, beside their fields and at the top of the form.
    const submit = card.getByRole('button', { name: 'Record the outcome' });
    await submit.click();
    const summary = card.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.locator('li').allTextContents()).toEqual(['Choose how the diagnosis was confirmed', 'Enter the confirmed diagnosis']);

    await card.getByLabel('Biopsy (histology)').check();
    const diagnosis = card.getByRole('combobox', { name: 'Confirmed diagnosis' });
    await diagnosis.fill('psoriasis vulg');
    const option = card.getByRole('option').filter({ hasText: 'L40.0' });
    await option.click();
    expect(await card.getByLabel('ICD-10 code (optional)').inputValue()).toBe('L40.0');
    await card.getByLabel('Notes (optional)').fill('Punch biopsy, 4 mm: parakeratosis, Munro microabscesses.');
    await screenshot(page, 'outcome-form-phone');
    await submit.click();

    await page.getByText('The outcome is recorded.').waitFor();
    const shown = page.locator('#outcome');
    expect(await shown.locator('.outcome-kind').textContent()).toBe('Biopsy (histology)');
    expect(await shown.locator('.outcome-diagnosis').textContent()).toMatch(/^.+ \(ICD-10 L40\.0\)$/);
    expect(await shown.locator('.outcome-notes').textContent()).toBe('Punch biopsy, 4 mm: parakeratosis, Munro microabscesses.');
    expect(await shown.textContent()).toContain('Recorded by Nurse Amara Diallo');
    await screenshot(page, 'outcome-recorded-phone');

    const saved = (await kit.read(clinician.token, caseId)).body;
    expect(saved.outcome).toMatchObject({ kind: 'histology', diagnosis: { code: 'L40.0', system: 'icd10' }, recordedBy: { id: clinician.id } });

    // The reviewer's page had the case open: the outcome arrives without a reload, and without a form.
    await poll(() => reviewerPage.locator('#outcome .outcome-kind').textContent().catch(() => null)).toBe('Biopsy (histology)');
    expect(await reviewerPage.locator('#outcome-form').count()).toBe(0);
  });

  it('lets the referrer change the outcome later', async () => {
    const page = await signedIn(clinician, DESKTOP);
    await openCase(page);
    const card = page.locator('#outcome');
    await card.getByText('Change the outcome').click();
    // The form holds what was recorded.
    expect(await card.getByLabel('Biopsy (histology)').isChecked()).toBe(true);
    await card.getByLabel('Clinical course (response to treatment)').check();
    await card.getByRole('combobox', { name: 'Confirmed diagnosis' }).fill('Nummular eczema');
    await card.getByLabel('ICD-10 code (optional)').fill('');
    await card.getByRole('button', { name: 'Save the outcome' }).click();
    await page.getByText('The outcome is recorded.').waitFor();
    expect(await page.locator('#outcome .outcome-kind').textContent()).toBe('Clinical course (response to treatment)');
    expect(await page.locator('#outcome .outcome-diagnosis').textContent()).toBe('Nummular eczema');
    expect((await kit.read(clinician.token, caseId)).body.outcome).toMatchObject({ kind: 'clinical', diagnosis: { text: 'Nummular eczema' } });
  });

  it("shows the reviewer their concordance on their queues page, and the admin every reviewer's and each queue's", async () => {
    // Back to the biopsy's psoriasis, which both reviewers' L40.0 agrees with.
    const res = await t.http.post(`/api/v1/cases/${caseId}/outcome`).set(auth(clinician.token)).send({ kind: 'histology', diagnosis: { text: 'Psoriasis vulgaris', code: 'L40.9', system: 'icd10' } });
    expect(res.status).toBe(200);

    const reviewerPage = await signedIn(reviewers[1]!, DESKTOP);
    await reviewerPage.goto('/#/queues');
    const mine = reviewerPage.locator('#concordance');
    await mine.waitFor();
    expect(await mine.locator('.concordance-summary').textContent()).toBe('Of your 1 diagnosis with a confirmed outcome, 1 agreed with it (100%). You have given 1 opinion.');

    const adminPage = await signedIn(ADMIN, DESKTOP);
    await adminPage.goto('/#/admin/stats');
    const row = adminPage.locator(`#stats-table tr[data-queue="${queue}"]`);
    await row.waitFor();
    expect(await row.locator('td').last().textContent()).toBe('100% (1)');
    const reviewersTable = adminPage.locator('#reviewers-concordance-table');
    await reviewersTable.waitFor();
    for (const r of reviewers) {
      expect(await reviewersTable.locator(`tr[data-reviewer="${r.id}"] td`).allTextContents()).toEqual(['1', '1', '1', '100%']);
    }
    await screenshot(adminPage, 'outcome-admin-stats');
  });
});
