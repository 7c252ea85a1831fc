// The web app on a slow link: real headless Chromium, throttled by the DevTools protocol to 400 ms latency and
// 400 kbit/s each way, opens the sign-in page with an empty cache, then (signed in as the clinician) an answered
// case with one large phone photo, zooms it to 1:1, and comes back in a new tab. Prints progress on stderr and,
// as the last stdout line, one JSON object with the figures (reported, never held against the targets).
//
//   npm run bench:web
import os from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { DESKTOP, launchBrowser, openPage, signIn } from '../test/helpers/browser.js';
import { checkoutCommit, phonePhoto, runScript, seedAnsweredCase, seedPeople, startWebService, WEB_CLINICIAN } from './web-fixture.js';

const PROFILE = { latencyMs: 400, kbps: 400 };
const TARGETS = { signInUsableMs: 3000, firstPhotoVisibleMs: 6000, appFilesRepeatVisit: 0 };
/** No app file requested for this long: the page has all it asked for. */
const QUIET_MS = 1500;
/** The full photo alone takes ~40 s at 400 kbit/s. */
const PHOTO_TIMEOUT_MS = 120_000;

const progress = (line: string) => process.stderr.write(`[bench:web] ${line}\n`);

/**
 * Conditions the page checks on every DOM change and every 20 ms, from before its first script runs; each one's
 * first true moment is kept in ms since the navigation started (performance.now()). The bench relies on these
 * selectors and attributes: the web app keeps them.
 */
function installMarks(): void {
  const marks: Record<string, number> = {};
  (window as unknown as { __webBenchMarks: Record<string, number> }).__webBenchMarks = marks;
  const shown = (el: Element | null | undefined): el is HTMLElement => !!el && (el as HTMLElement).checkVisibility() && el.getBoundingClientRect().width > 0;
  const usable = (el: Element | null | undefined) => shown(el) && !(el as HTMLInputElement).disabled;
  const viewport = () => document.querySelector<HTMLElement>('#main-viewer .viewer-viewport');
  const conditions: Record<string, () => boolean> = {
    signInUsable: () =>
      usable(document.querySelector('input[type=email], input[autocomplete=username]')) &&
      usable(document.querySelector('input[type=password]')) &&
      [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Sign in' && usable(b)),
    answerVisible: () => shown(document.querySelector('.answer-summary')),
    // The new viewer says what it shows (thumb | display | full); the viewer of 670d4f4 loads the full photo first.
    photoVisible: () => ['display', 'full'].includes(viewport()?.dataset.shown ?? '') || viewport()?.dataset.loaded === 'true',
    // data-loaded means "a usable copy is on screen" in the new viewer, so it counts only where data-shown is absent.
    photoFull: () => {
      const data = viewport()?.dataset;
      return data?.shown ? data.shown === 'full' : data?.loaded === 'true';
    },
  };
  const check = () => {
    for (const [name, holds] of Object.entries(conditions)) if (marks[name] === undefined && holds()) marks[name] = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  setInterval(check, 20);
  document.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('#main-viewer .zoom-actual')) marks.zoomClick ??= performance.now();
  }, true);
}

async function mark(page: Page, name: string, timeout = 30_000): Promise<number> {
  const handle = await page.waitForFunction((n) => (window as unknown as { __webBenchMarks?: Record<string, number> }).__webBenchMarks?.[n], name, { timeout, polling: 50 });
  return Math.round((await handle.jsonValue()) as number);
}

interface Transfer {
  url: URL;
  type: string;
  /** The status the page sees: a revalidated file shows its cached 200. */
  status: number;
  /** The status on the wire, 304 for a revalidated file (responseReceivedExtraInfo). */
  wireStatus: number | null;
  /** Served by the HTTP cache or memory cache: no bytes over the network. */
  fromCache: boolean;
  /** Bytes on the wire, headers included (loadingFinished's encodedDataLength). */
  bytes: number;
  done: boolean;
}

/** The page's network under the slow-link profile, request by request, from the DevTools protocol. */
async function slowLink(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const bytesPerSecond = (PROFILE.kbps * 1000) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: PROFILE.latencyMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  let transfers = new Map<string, Transfer>();
  // Raw statuses by request id: their event may come before or after responseReceived.
  const wireStatuses = new Map<string, number>();
  let lastAppActivity = performance.now();
  const isApp = (t: Transfer) => !t.url.pathname.startsWith('/api/') && !t.url.pathname.startsWith('/f/');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!/^https?:/.test(e.request.url)) return;
    const t: Transfer = { url: new URL(e.request.url), type: e.type ?? 'Other', status: 0, wireStatus: null, fromCache: false, bytes: 0, done: false };
    transfers.set(e.requestId, t);
    if (isApp(t)) lastAppActivity = performance.now();
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const t = transfers.get(e.requestId);
    if (t) t.fromCache = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const t = transfers.get(e.requestId);
    if (!t) return;
    t.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) t.fromCache = true;
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => wireStatuses.set(e.requestId, e.statusCode));
  const finish = (requestId: string, bytes: number) => {
    const t = transfers.get(requestId);
    if (!t) return;
    t.bytes = bytes;
    t.wireStatus = wireStatuses.get(requestId) ?? null;
    t.done = true;
    if (isApp(t)) lastAppActivity = performance.now();
  };
  cdp.on('Network.loadingFinished', (e) => finish(e.requestId, e.encodedDataLength));
  cdp.on('Network.loadingFailed', (e) => finish(e.requestId, 0));

  return {
    /** Forgets what was recorded: the next navigation is counted on its own. */
    reset() {
      transfers = new Map();
      lastAppActivity = performance.now();
    },
    /** Waits until no app file has been asked for or arrived for QUIET_MS, and none is in flight. */
    async appQuiet(timeout = 60_000) {
      const deadline = performance.now() + timeout;
      for (;;) {
        const inFlight = [...transfers.values()].some((t) => isApp(t) && !t.done);
        if (!inFlight && performance.now() - lastAppActivity >= QUIET_MS) return;
        if (performance.now() > deadline) throw new Error('the app kept loading files');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** The app's own files (document, scripts, styles, icons: not /api/, not /f/) that reached the page. */
    appFiles() {
      const all = [...transfers.values()].filter((t) => isApp(t) && t.status > 0 && t.status < 400);
      const overNetwork = all.filter((t) => !t.fromCache);
      const revalidated = overNetwork.filter((t) => t.wireStatus === 304);
      const full = overNetwork.filter((t) => t.status === 200 && t.wireStatus !== 304);
      return {
        files: all.length,
        bytes: overNetwork.reduce((n, t) => n + t.bytes, 0),
        fullFiles: full.length,
        fullBytes: full.reduce((n, t) => n + t.bytes, 0),
        revalidated: revalidated.length,
        describe: () => all.map((t) => `${t.url.pathname} ${t.fromCache ? 'cache' : `${t.wireStatus ?? t.status} ${t.bytes} B`}`).join(', '),
      };
    },
    /** Bytes of the photos fetched, by variant (full when none is asked for). */
    photoBytes() {
      const bytes: Record<'thumb' | 'display' | 'full', number | null> = { thumb: null, display: null, full: null };
      for (const t of transfers.values()) {
        if (!/^\/api\/v1\/photos\/[^/]+$/.test(t.url.pathname) || t.fromCache || !t.done) continue;
        const variant = (t.url.searchParams.get('variant') ?? 'full') as keyof typeof bytes;
        if (variant in bytes) bytes[variant] = (bytes[variant] ?? 0) + t.bytes;
      }
      return bytes;
    },
    detach: () => cdp.detach(),
  };
}

runScript('bench:web', async (cleanups) => {
  const started = performance.now();
  const { commit, dirty } = checkoutCommit();
  progress(`commit ${commit}${dirty ? ' (src/ has uncommitted changes)' : ''}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; drawing the phone photo`);
  const photo = await phonePhoto();
  const service = await startWebService(cleanups);
  progress(`service at ${service.baseUrl}, DATA_DIR ${service.dataDir}; photo ${(photo.length / 1e6).toFixed(2)} MB`);
  await seedPeople(service);
  const caseId = await seedAnsweredCase(service, photo);
  progress(`seeded: admin, clinician, 3 reviewers, case ${caseId} answered 2 against 1`);

  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const { context, page, problems } = await openPage(browser, service.baseUrl, DESKTOP, { hasTouch: false });
  // tsx compiles with esbuild's keepNames, which wraps inner functions in a `__name` helper the page lacks.
  await context.addInitScript({ content: `var __name = (fn) => fn; (${installMarks.toString()})();` });
  const link = await slowLink(page);

  // 1. The sign-in page, empty cache.
  await page.goto('/', { waitUntil: 'commit' });
  const signInUsableMs = await mark(page, 'signInUsable');
  progress(`sign-in page usable after ${signInUsableMs} ms`);
  await link.appQuiet();
  const firstLoad = link.appFiles();
  progress(`first load: ${firstLoad.files} app files, ${firstLoad.bytes} B: ${firstLoad.describe()}`);

  // 2. Signed in (not counted), the answered case opened afresh: a new document, with what the sign-in page cached.
  await signIn(page, WEB_CLINICIAN.email, WEB_CLINICIAN.password);
  await page.goto('about:blank');
  link.reset();
  await page.goto(`/#/cases/${caseId}`, { waitUntil: 'commit' });
  const answerVisibleMs = await mark(page, 'answerVisible');
  progress(`answer visible after ${answerVisibleMs} ms`);
  const firstPhotoVisibleMs = await mark(page, 'photoVisible', PHOTO_TIMEOUT_MS);
  progress(`first photo visible after ${firstPhotoVisibleMs} ms`);

  // 3. 1:1: from the click until the full resolution is shown.
  await page.locator('#main-viewer .zoom-actual').click();
  const zoomClick = await mark(page, 'zoomClick');
  const fullPhotoAfterZoomMs = Math.max(0, (await mark(page, 'photoFull', PHOTO_TIMEOUT_MS)) - zoomClick);
  progress(`full photo ${fullPhotoAfterZoomMs} ms after the 1:1 click`);
  const photoBytes = link.photoBytes();
  progress(`photo bytes: ${JSON.stringify(photoBytes)}`);
  await link.detach();

  // 4. A second visit: a new tab in the same browser, same cache.
  const again = await context.newPage();
  const repeatLink = await slowLink(again);
  await again.goto(`/#/cases/${caseId}`, { waitUntil: 'commit' });
  await mark(again, 'answerVisible');
  await repeatLink.appQuiet();
  const repeat = repeatLink.appFiles();
  progress(`repeat visit: ${repeat.fullFiles} app files with a full body (${repeat.fullBytes} B), ${repeat.revalidated} revalidated (304): ${repeat.describe()}`);
  await repeatLink.detach();
  await again.close();
  if (problems.length) progress(`page problems (informational): ${problems.join(' | ')}`);

  const result = {
    signInUsableMs,
    answerVisibleMs,
    firstPhotoVisibleMs,
    fullPhotoAfterZoomMs,
    appBytesFirstLoad: firstLoad.bytes,
    appFilesFirstLoad: firstLoad.files,
    appFilesRepeatVisit: repeat.fullFiles,
    appBytesRepeatVisit: repeat.fullBytes,
    appRevalidationsRepeatVisit: repeat.revalidated,
    photoBytesThumb: photoBytes.thumb,
    photoBytesDisplay: photoBytes.display,
    photoBytesFull: photoBytes.full,
    photoBytesUploaded: photo.length,
    profile: PROFILE,
    targets: TARGETS,
    commit,
    dirty,
  };
  progress(`done in ${Math.round((performance.now() - started) / 1000)} s`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
