// Screenshots of the web app at 1440 x 900, unthrottled, on the seeding of `npm run bench:web` plus a claimed case and
// a case with follow-up photos from two days: the referrer's answer box, the reviewer's workspace, the follow-up
// photos. For comparing the app before and after a change by eye.
//
//   npm run screenshots                 # into ./screenshots/<short commit>/
//   npm run screenshots -- <folder>
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, signIn } from '../test/helpers/browser.js';
import {
  checkoutCommit,
  phonePhoto,
  runScript,
  seedAnsweredCase,
  seedClaimedCase,
  seedFollowUpCase,
  seedPeople,
  startWebService,
  WEB_CLINICIAN,
  WEB_REVIEWERS,
  type Account,
} from './web-fixture.js';

const VIEWPORT = { width: 1440, height: 900 };

const progress = (line: string) => process.stderr.write(`[screenshots] ${line}\n`);

/** A fresh browser profile signed in as `account`, on the case page with its main photo and every image loaded. */
async function openCase(browser: Browser, baseUrl: string, account: Account, caseId: string): Promise<Page> {
  const { page } = await openPage(browser, baseUrl, VIEWPORT, { hasTouch: false });
  await signIn(page, account.email, account.password);
  await page.goto(`/#/cases/${caseId}`);
  // The new viewer's data-shown, or data-loaded of the viewer of 670d4f4 (see scripts/bench-web.ts).
  await page.waitForFunction(
    () => {
      const viewport = document.querySelector<HTMLElement>('#main-viewer .viewer-viewport');
      return ['display', 'full'].includes(viewport?.dataset.shown ?? '') || viewport?.dataset.loaded === 'true';
    },
    undefined,
    { timeout: 60_000 },
  );
  try {
    await page.waitForFunction(() => [...document.images].every((img) => !img.getAttribute('src') || img.complete), undefined, { timeout: 20_000 });
  } catch {
    progress(`${caseId}: some images were still loading after 20 s`);
  }
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

runScript('screenshots', async (cleanups) => {
  const { commit } = checkoutCommit();
  const outDir = path.resolve(process.argv[2] ?? path.join('screenshots', commit));
  fs.mkdirSync(outDir, { recursive: true });
  const photo = await phonePhoto();
  const service = await startWebService(cleanups);
  progress(`service at ${service.baseUrl}; seeding`);
  await seedPeople(service);
  // First: it moves the clock a week on, and the claim of the workspace case must find only that case waiting.
  const followUpCase = await seedFollowUpCase(service);
  const answeredCase = await seedAnsweredCase(service, photo);
  const claimedCase = await seedClaimedCase(service);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const saved: string[] = [];
  const file = (name: string) => {
    const at = path.join(outDir, `${name}.png`);
    saved.push(at);
    return at;
  };

  const referrer = await openCase(browser, service.baseUrl, WEB_CLINICIAN, answeredCase);
  await referrer.screenshot({ path: file('referrer-case'), fullPage: true });
  await referrer.locator('.answer-summary').screenshot({ path: file('referrer-answer') });

  const workspace = await openCase(browser, service.baseUrl, WEB_REVIEWERS[2]!, claimedCase);
  await workspace.screenshot({ path: file('reviewer-workspace'), fullPage: true });

  const followUp = await openCase(browser, service.baseUrl, WEB_REVIEWERS[0]!, followUpCase);
  await followUp.locator('.photos-section').screenshot({ path: file('follow-up-photos') });
  await followUp.screenshot({ path: file('follow-up-case'), fullPage: true });

  for (const at of saved) process.stdout.write(`${at}\n`);
});
