// The web's files as a browser on a slow link gets them: the page names one hashed script and one hashed
// stylesheet, each sent brotli or gzip when the browser takes it (the same bytes once decoded) and kept by
// the browser for a year; the page itself is revalidated on each load. Only built files exist: no spelling of
// a path reaches the disk. And the build: a changed byte gives a new name, a source that does not build stops
// the start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildWebAssets, COMPRESS_FROM_BYTES, servedUrl, WEB_SOURCE_ROOT } from '../../src/web/assets.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

/** The bytes as sent, never decoded on the way (supertest would inflate them). */
async function get(app: FastifyInstance, url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<Answer> {
  const res = await app.inject({ method, url, headers });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
}

const decoders: Record<string, (body: Buffer) => Buffer> = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };

/** What the page loads: its scripts' src and its stylesheets' href. */
function namedFiles(html: string): string[] {
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags.map((tag) => /\s(?:src|href)="([^"]+)"/.exec(tag)?.[1]).filter((url): url is string => url !== undefined);
}

describe('the web app on a slow link', () => {
  let t: TestApp;
  let page: Answer;
  let files: string[];

  beforeAll(async () => {
    t = await startTestApp();
    page = await get(t.app, '/');
    files = namedFiles(page.body.toString());
  });
  afterAll(async () => t.close());

  it('names one hashed script and one hashed stylesheet in a page that is revalidated on each load', async () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(files).toEqual([expect.stringMatching(/^\/assets\/styles\.[A-Z0-9]{8}\.css$/), expect.stringMatching(/^\/assets\/app\.[A-Z0-9]{8}\.js$/)]);

    const again = await get(t.app, '/index.html');
    expect(again.body.equals(page.body)).toBe(true);
    expect(again.headers.etag).toBe(page.headers.etag);
    const revalidated = await get(t.app, '/', { 'if-none-match': String(page.headers.etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
  });

  it("carries English in the app's script and each other language's messages in a file of its own", async () => {
    const script = (await get(t.app, files.find((f) => f.endsWith('.js'))!)).body.toString();
    expect(script).toContain('"web-common.nav.main"');
    expect(script).not.toContain('退出登录');
    const chunks = new Map([...script.matchAll(/\.\/(zh-CN|es|fr)\.([A-Z0-9]{8})\.js/g)].map((m) => [m[1], `/assets/${m[1]}.${m[2]}.js`]));
    expect([...chunks.keys()].sort()).toEqual(['es', 'fr', 'zh-CN']);
    const chinese = await get(t.app, chunks.get('zh-CN')!);
    expect(chinese.status).toBe(200);
    expect(chinese.headers['cache-control']).toBe(IMMUTABLE);
    expect(chinese.body.toString()).toContain('退出登录');
    expect(chinese.body.toString()).not.toContain('Se déconnecter');
  });

  it('sends each file brotli, gzip or as it is, as the browser takes them, and the same bytes once decoded', async () => {
    const cases: [string, string | undefined][] = [
      ['br, gzip', 'br'],
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['*', 'br'],
      ['*;q=0, gzip', 'gzip'],
      ['br;q=0, gzip;q=0', undefined],
      ['identity', undefined],
      ['deflate', undefined],
    ];
    for (const url of files) {
      const plain = await get(t.app, url);
      expect(plain.status, url).toBe(200);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      expect(plain.headers['content-type'], url).toBe(url.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(plain.body.length, url).toBeGreaterThan(COMPRESS_FROM_BYTES);
      for (const [acceptEncoding, expected] of cases) {
        const res = await get(t.app, url, { 'accept-encoding': acceptEncoding });
        const what = `${url} for Accept-Encoding: ${acceptEncoding}`;
        expect(res.status, what).toBe(200);
        expect(res.headers['content-encoding'], what).toBe(expected);
        expect(res.headers.vary, what).toBe('accept-encoding');
        expect(Number(res.headers['content-length']), what).toBe(res.body.length);
        const decoded = expected ? decoders[expected]!(res.body) : res.body;
        expect(decoded.equals(plain.body), what).toBe(true);
        if (expected) expect(res.body.length, what).toBeLessThan(plain.body.length / 2);
      }
    }
  });

  it('lets the browser keep the hashed files for a year, and answers a revalidation with 304', async () => {
    for (const url of files) {
      const br = await get(t.app, url, { 'accept-encoding': 'br, gzip' });
      const gzip = await get(t.app, url, { 'accept-encoding': 'gzip' });
      expect(br.headers['cache-control'], url).toBe(IMMUTABLE);
      expect(br.headers['x-content-type-options'], url).toBe('nosniff');
      // Different bytes, different validators.
      expect(new Set([br.headers.etag, gzip.headers.etag, (await get(t.app, url)).headers.etag]).size, url).toBe(3);

      const held = await get(t.app, url, { 'accept-encoding': 'br, gzip', 'if-none-match': String(br.headers.etag) });
      expect(held.status, url).toBe(304);
      expect(held.body.length, url).toBe(0);
      expect(held.headers.etag, url).toBe(br.headers.etag);
      expect(held.headers['cache-control'], url).toBe(IMMUTABLE);
      expect((await get(t.app, url, { 'if-none-match': `"other", W/${String(gzip.headers.etag)}` })).status, url).toBe(304);
      expect((await get(t.app, url, { 'accept-encoding': 'br', 'if-none-match': '"other"' })).status, url).toBe(200);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const url = files.find((f) => f.endsWith('.js'))!;
    const get_ = await get(t.app, url, { 'accept-encoding': 'br' });
    const head = await get(t.app, url, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const header of ['content-type', 'content-encoding', 'content-length', 'etag', 'cache-control', 'vary']) expect(head.headers[header], header).toBe(get_.headers[header]);
  });

  it('serves the source map the script names, so that errors point at the sources', async () => {
    const url = files.find((f) => f.endsWith('.js'))!;
    const script = (await get(t.app, url)).body.toString();
    const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(script)?.[1];
    expect(mapName).toBe(`${path.basename(url)}.map`);
    const map = await get(t.app, `/assets/${mapName}`, { 'accept-encoding': 'br' });
    expect(map.status).toBe(200);
    expect(map.headers['cache-control']).toBe(IMMUTABLE);
    const sources = (JSON.parse(decoders.br!(map.body).toString()) as { sources: string[] }).sources;
    expect(sources).toContain('../public/app.js');
    expect(sources).toContain('../public/js/api.js');
  });

  it("serves the card pages' files the same way while their pages stay no-store", async () => {
    const setup = await t.http.get('/setup?token=not-a-token');
    const followUp = await t.http.get('/f/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').set('accept', 'text/html');
    for (const res of [setup, followUp]) expect(res.headers['cache-control']).toBe('no-store');
    const named = [...namedFiles(setup.text), ...namedFiles(followUp.text)];
    expect(named).toEqual([
      expect.stringMatching(/^\/assets\/account\.[\w-]{10}\.css$/),
      expect.stringMatching(/^\/assets\/account\.[\w-]{10}\.js$/),
      expect.stringMatching(/^\/assets\/follow-up\.[\w-]{10}\.css$/),
    ]);
    for (const url of named) {
      const plain = await get(t.app, url);
      const res = await get(t.app, url, { 'accept-encoding': 'br, gzip' });
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(IMMUTABLE);
      expect(res.headers.etag, url).toBeDefined();
      // account.css is under a kilobyte: it goes as it is.
      expect(res.headers['content-encoding'], url).toBe(plain.body.length >= COMPRESS_FROM_BYTES ? 'br' : undefined);
      expect((res.headers['content-encoding'] ? decoders.br!(res.body) : res.body).equals(plain.body), url).toBe(true);
    }
  });

  it('has nothing under the old addresses or any name it did not build', async () => {
    const unknown = ['/app.js', '/styles.css', '/js/api.js', '/js/views/login.js', '/f-assets/follow-up.css', '/account-assets/account.js', '/assets/app.AAAAAAAA.js', '/assets/', '/assets', '/index.htm'];
    for (const url of unknown) {
      const res = await t.http.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body, url).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('reaches no file on disk through dot segments, encoded slashes or NUL bytes', async () => {
    const script = path.basename(files.find((f) => f.endsWith('.js'))!);
    const attempts = [
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fsrc%2fapp.ts',
      '/assets/..%5c..%5cpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/../src/app.ts',
      '/public/index.html',
      '/assets/./index.html',
      `/assets/x/../${script}`,
      `/assets/${script}%00`,
      `/assets/${script}%00.css`,
      '/index.html%00',
      '/%00',
    ];
    for (const attempt of attempts) expect((await t.raw('GET', attempt)).status, attempt).toBe(404);
  });
});

describe('the build of the web', () => {
  const copies: string[] = [];
  /**
   * The web's sources copied to a temporary root, to change them there. It sits as deep below the checkout as
   * src/web does, so that the source map's paths to node_modules (and so the script's map name) stay the same.
   */
  function copyOfSources(): string {
    const scratch = path.resolve(WEB_SOURCE_ROOT, '../../test-results');
    fs.mkdirSync(scratch, { recursive: true });
    const root = fs.mkdtempSync(path.join(scratch, 'derm-web-'));
    copies.push(root);
    for (const dir of ['public', 'follow-up', 'account']) fs.cpSync(path.join(WEB_SOURCE_ROOT, dir), path.join(root, dir), { recursive: true });
    return root;
  }
  const edit = (file: string, change: (text: string) => string) => fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  afterAll(() => {
    for (const root of copies) fs.rmSync(root, { recursive: true, force: true });
  });

  /** The page's files by their source names: { 'app.js': '/assets/app.<hash>.js', ... }. */
  async function pageFiles(root?: string): Promise<Record<string, string>> {
    const page = (await (await buildWebAssets(root)).page.body('identity')).toString();
    return Object.fromEntries(namedFiles(page).map((url) => [path.basename(url).replace(/\.[^.]+(\.\w+)$/, '$1'), url]));
  }

  it('gives a file a new name when one byte of it changes, and leaves the others their names', async () => {
    const before = await pageFiles();
    const root = copyOfSources();
    const oneByte = (text: string) => text.replace(/(\d)px/, (_, digit: string) => `${(Number(digit) + 1) % 10}px`);
    edit(path.join(root, 'public/styles.css'), oneByte);
    edit(path.join(root, 'follow-up/follow-up.css'), oneByte);
    const after = await pageFiles(root);
    expect(after['styles.css']).toMatch(/^\/assets\/styles\./);
    expect(after['styles.css']).not.toBe(before['styles.css']);
    expect(after['app.js']).toBe(before['app.js']);

    const built = await buildWebAssets(root);
    const name = (url: string) => url.slice('/assets/'.length);
    expect(built.file(name(servedUrl('follow-up/follow-up.css')))).toBeUndefined();
    expect(built.file(name(servedUrl('follow-up/follow-up.js')))).toBeDefined();
    expect(built.file(name(after['styles.css']!))).toBeDefined();
    expect(built.file(name(before['styles.css']!))).toBeUndefined();
  });

  it('is built once per process: every app gets the same files', async () => {
    expect(await buildWebAssets()).toBe(await buildWebAssets(WEB_SOURCE_ROOT));
  });

  it('bundles what the app imports from node_modules', async () => {
    const root = copyOfSources();
    edit(path.join(root, 'public/app.js'), (js) => `import qrcode from 'qrcode-generator';\nconsole.log(qrcode(0, 'M'));\n${js}`);
    const assets = await buildWebAssets(root);
    const script = namedFiles((await assets.page.body('identity')).toString()).find((url) => url.endsWith('.js'))!;
    const bundle = (await assets.file(path.basename(script))!.body('identity')).toString();
    expect(bundle).toContain('bad maskPattern:');
    expect(bundle).not.toMatch(/\bimport\b[^;]*from/);
  });

  it('stops the start, naming the file and line, when a source does not build', async () => {
    const root = copyOfSources();
    edit(path.join(root, 'public/js/format.js'), (js) => `${js}\nexport const broken = ;\n`);
    const lines = fs.readFileSync(path.join(root, 'public/js/format.js'), 'utf8').split('\n').length - 1;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-web-data-'));
    copies.push(dataDir);
    const start = buildApp(loadConfig({ DATA_DIR: dataDir }), { webRoot: root, logger: false });
    await expect(start).rejects.toThrow(new RegExp(`could not be built: .*public/js/format\\.js:${lines}:\\d+: Unexpected ";"`));
  });
});
