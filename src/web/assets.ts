// The web's files as browsers get them: the app bundled and minified by esbuild into one script and one
// stylesheet (no import waterfall on a slow link), the card pages' small files as they are, each under a
// content-hashed name that may be cached for a year, with brotli and gzip bodies made once per process;
// and the app's index.html naming those hashed files. Built in memory, once per process and source root.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { loadCatalogue } from '../i18n/messages.js';
import { DEFAULT_LANGUAGE } from '../i18n/languages.js';
import { LANGUAGES, type Language } from '../vocabulary.js';

/** src/web: the app in public/, the card pages' files in follow-up/ and account/. */
export const WEB_SOURCE_ROOT = path.dirname(fileURLToPath(import.meta.url));
/** Packages the app imports are found here even when building a copy of the sources elsewhere (tests). */
const NODE_MODULES = path.resolve(WEB_SOURCE_ROOT, '../../node_modules');

export const ASSET_PREFIX = '/assets/';

/** Bundled, with everything they import (node_modules too). Paths are relative to the source root. */
const BUNDLED = ['public/app.js', 'public/styles.css'];
/** Served as written: small, and follow-up.js keeps to old phones' JavaScript on purpose. */
const AS_WRITTEN = ['follow-up/follow-up.js', 'follow-up/follow-up.css', 'account/account.js', 'account/account.css'];
/**
 * Bundled for the card pages apart from the app: one classic script each, in old phones' syntax, beside the
 * page's own script. The follow-up page's photo check brings it the server's own measure (virtual:photo-quality).
 */
const CARD_BUNDLED = ['follow-up/photo-check.js'];
const PAGE = 'public/index.html';

/**
 * The browsers the bundle's syntax is written for: those of 2021 on. (Safari 14 is left out: esbuild cannot
 * work around its destructuring bug, and refuses to build for it.)
 */
const BROWSERS = ['es2020', 'chrome92', 'edge92', 'firefox90', 'safari15', 'ios15'];
/**
 * The phones the follow-up page is written for (follow-up.js is ES5): their bundles are lowered to ES2017, which
 * Safari 11, Chrome 61 and Firefox 60 on run. (Safari below 15 cannot be named: esbuild cannot work around its destructuring
 * bug, and refuses to build for it.)
 */
const OLD_PHONES = ['es2017', 'chrome61', 'firefox60'];

const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page names this release's files, so it is revalidated on each load (a 304 when nothing changed). */
const REVALIDATE = 'no-cache';

/** A smaller body fits in the first round trip anyway: compressing it would not pay. */
export const COMPRESS_FROM_BYTES = 1024;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export type Encoding = 'br' | 'gzip' | 'identity';
type Compression = Exclude<Encoding, 'identity'>;

export interface Asset {
  /** Where it is served: /assets/<name>.<hash>.<ext>, or / for the app's page. */
  url: string;
  type: string;
  cacheControl: string;
  /** What is sent to a client that takes `accepted`: identity for a body below COMPRESS_FROM_BYTES. */
  encodingFor(accepted: Encoding): Encoding;
  /** The ETag of the body of an encoding: each has its own, as HTTP wants of different bytes. */
  etag(encoding: Encoding): string;
  /** Whether an If-None-Match names any of this asset's bodies: the client holds the same content. */
  heldBy(ifNoneMatch: string | undefined): boolean;
  /** The body of an encoding (the same bytes once decoded), compressed the first time it is asked for. */
  body(encoding: Encoding): Promise<Buffer>;
}

export interface WebAssets {
  /** The app's page, index.html with the hashed names, served at / and /index.html. */
  page: Asset;
  /** The file served at /assets/<name>, if there is one. */
  file(name: string): Asset | undefined;
  /** Starts compressing what the pages load, off the event loop, so that the first visitor need not wait. */
  precompress(): void;
}

/** The sources do not build: the service must not start and serve a broken app. */
export class WebBuildError extends Error {
  constructor(root: string, cause: unknown) {
    const errors = (cause as Partial<esbuild.BuildFailure>).errors ?? [];
    const where = errors.slice(0, 5).map((e) => (e.location ? `${path.join(root, e.location.file)}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text));
    super(`the web app in ${root} could not be built: ${where.length > 0 ? where.join('; ') : cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'WebBuildError';
  }
}

const brotliCompress = promisify(zlib.brotliCompress);
const gzipCompress = promisify(zlib.gzip);

/**
 * Brotli at its best for what the pages load: quality 11 takes a few tenths of a second of one core for the
 * app's 100 KB script (measured 0.17 s for 67 KB on a quiet core), once per process and off the event loop,
 * for a body 0.6 KB smaller than quality 10 gives and 2.6 KB smaller than 9 (every first visit on a 400 kbit/s
 * link gains 10 to 50 ms). A source map, fetched only by a developer's tools, gets quality 5 (20 ms, not 0.5 s).
 */
function compress(body: Buffer, encoding: Compression, quality: number): Promise<Buffer> {
  if (encoding === 'gzip') return gzipCompress(body, { level: 9 });
  return brotliCompress(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
}

const contentHash = (body: Buffer | string) => createHash('sha256').update(body).digest('base64url');

function makeAsset(url: string, identity: Buffer, cacheControl: string): Asset {
  const ext = path.extname(url === '/' ? PAGE : url);
  const type = TYPES[ext];
  if (!type) throw new Error(`no content type for ${url}`);
  const compressible = identity.length >= COMPRESS_FROM_BYTES;
  const quality = ext === '.map' ? 5 : 11;
  const tag = contentHash(identity).slice(0, 22);
  const etags: Record<Encoding, string> = { identity: `"${tag}"`, br: `"${tag}-br"`, gzip: `"${tag}-gz"` };
  const anyEtag = new Set(Object.values(etags));
  const bodies = new Map<Compression, Promise<Buffer>>();
  const encodingFor = (accepted: Encoding): Encoding => (compressible ? accepted : 'identity');
  return {
    url,
    type,
    cacheControl,
    encodingFor,
    etag: (encoding) => etags[encodingFor(encoding)],
    heldBy(ifNoneMatch) {
      if (!ifNoneMatch) return false;
      return ifNoneMatch.split(',').some((candidate) => {
        const etag = candidate.trim().replace(/^W\//, '');
        return etag === '*' || anyEtag.has(etag);
      });
    },
    body(encoding) {
      const chosen = encodingFor(encoding);
      if (chosen === 'identity') return Promise.resolve(identity);
      let body = bodies.get(chosen);
      if (!body) {
        body = compress(identity, chosen, quality);
        bodies.set(chosen, body);
      }
      return body;
    },
  };
}

const writtenFiles = new Map<string, { name: string; body: Buffer }>();

/** A file served as written, by a name with its content's hash; read once per process. */
function asWritten(file: string): { name: string; body: Buffer } {
  let written = writtenFiles.get(file);
  if (!written) {
    const body = readFileSync(file);
    const ext = path.extname(file);
    written = { name: `${path.basename(file, ext)}.${contentHash(body).slice(0, 10)}${ext}`, body };
    writtenFiles.set(file, written);
  }
  return written;
}

/**
 * Where a card page's own file is served, e.g. servedUrl('follow-up/follow-up.css') is
 * /assets/follow-up.<hash>.css. The pages render without waiting for the build: the name comes from the
 * same read of the file as the body that the build serves under it.
 */
export function servedUrl(source: string): string {
  if (!AS_WRITTEN.includes(source)) throw new Error(`${source} is not served as written`);
  return `${ASSET_PREFIX}${asWritten(path.join(WEB_SOURCE_ROOT, source)).name}`;
}

/** esbuild's service process (about 20 MB) is stopped once no build needs it: the bundle is made once. */
let bundlesInFlight = 0;

/** Where the service's own build (of WEB_SOURCE_ROOT) serves each card-page bundle, once built. */
const cardBundles = new Map<string, string>();

/**
 * Where a card page's bundle is served, e.g. /assets/photo-check.<hash>.js, once the service's files are built
 * (the service builds them before it listens); undefined before, and the page then goes without it, as a page
 * must work without JavaScript anyway.
 */
export function bundledUrl(source: string): string | undefined {
  if (!CARD_BUNDLED.includes(source)) throw new Error(`${source} is not bundled for a card page`);
  return cardBundles.get(source);
}

interface BuiltFile {
  /** The name it is served by, hashed. */
  name: string;
  /** The source path it was built from (source maps have none). */
  source?: string;
  body: Buffer;
}

const LANGUAGES_MODULE = path.resolve(WEB_SOURCE_ROOT, '../i18n/languages.ts');
const FORMATTER_MODULE = path.resolve(WEB_SOURCE_ROOT, '../i18n/formatter.ts');
const VOCABULARY_IMPORT = "import { LANGUAGES, type Language } from '../vocabulary.js';";
const LANGUAGES_IMPORT = "import { DEFAULT_LANGUAGE } from './languages.js';";

/** The text of a module of src/i18n with one import, which the virtual module provides itself, taken out. */
function moduleText(file: string, ownImport: string, replacement: string): string {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(ownImport)) throw new Error(`${file} no longer has ${ownImport}: update the i18n plugin`);
  return text.replace(ownImport, replacement);
}

/** The web app's part of a language's catalogue: areas common and web-*. */
function webCatalogue(language: Language) {
  return Object.fromEntries(Object.entries(loadCatalogue(language)).filter(([key]) => /^(web-|common\.)/.test(key)));
}

/**
 * `import { ENGLISH, loadMessages, messageFormatter, negotiateLanguage, ... } from 'virtual:i18n'`:
 * src/i18n/languages.ts and formatter.ts, the English messages of the web app (areas common and web-*), and
 * `loadMessages(language)`, which fetches another language's messages as a chunk of their own, so that a
 * reader downloads only the language they read. Made from the files' text rather than imported by path, so
 * that the bundle and its map are the same whatever root the app is built from (tests build copies of src/web
 * elsewhere).
 */
const webI18n: esbuild.Plugin = {
  name: 'i18n',
  setup(build) {
    build.onResolve({ filter: /^virtual:i18n$/ }, () => ({ path: 'i18n', namespace: 'virtual-i18n' }));
    build.onResolve({ filter: /^virtual:i18n\/messages\// }, (args) => ({ path: args.path.slice('virtual:i18n/'.length), namespace: 'virtual-i18n' }));
    build.onLoad({ filter: /^i18n$/, namespace: 'virtual-i18n' }, () => {
      const others = LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE);
      const contents = [
        moduleText(LANGUAGES_MODULE, VOCABULARY_IMPORT, `export const LANGUAGES = ${JSON.stringify(LANGUAGES)} as const;\ntype Language = (typeof LANGUAGES)[number];`),
        moduleText(FORMATTER_MODULE, LANGUAGES_IMPORT, ''),
        `export const ENGLISH: Catalogue = ${JSON.stringify(webCatalogue(DEFAULT_LANGUAGE))};`,
        `export function loadMessages(language: string): Promise<Catalogue> {`,
        `  switch (language) {`,
        ...others.map((l) => `    case ${JSON.stringify(l)}: return import(${JSON.stringify(`virtual:i18n/messages/${l}`)}).then((m) => m.default);`),
        `    default: return Promise.resolve(ENGLISH);`,
        `  }`,
        `}`,
      ].join('\n');
      return { contents, loader: 'ts', resolveDir: NODE_MODULES };
    });
    build.onLoad({ filter: /^messages\//, namespace: 'virtual-i18n' }, (args) => {
      const language = LANGUAGES.find((l) => `messages/${l}` === args.path);
      if (!language) return { errors: [{ text: `no language ${args.path}` }] };
      return { contents: `export default ${JSON.stringify(webCatalogue(language))};`, loader: 'js' };
    });
  },
};

/**
 * `import ... from 'virtual:<name>'`: a module of the server's sources itself, inlined from its text (as
 * virtual:i18n), so that browser and server share it whatever root the app is built from. The module must be
 * self-contained: nothing it imported could be found from here.
 */
function sharedModule(name: string, file: string): esbuild.Plugin {
  const namespace = `virtual-${name}`;
  return {
    name,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^virtual:${name}$`) }, () => ({ path: name, namespace }));
      build.onLoad({ filter: /.*/, namespace }, () => {
        const contents = readFileSync(file, 'utf8');
        if (/^\s*import\s/m.test(contents)) return { errors: [{ text: `${file} imports a module: the ${name} plugin inlines it alone` }] };
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * `import { measureQuality, measuredSize, ... } from 'virtual:photo-quality'`: src/photos/quality.ts, so that the
 * browser warns about a photo exactly as the server will; scripts/bench-quality.ts bundles the browser measure
 * with it too.
 */
export const webPhotoQuality = sharedModule('photo-quality', path.resolve(WEB_SOURCE_ROOT, '../photos/quality.ts'));

/** `import { BODY_SITES, bodySiteByCode } from 'virtual:body-sites'`: the body map's regions and their SNOMED CT codes. */
const webBodySites = sharedModule('body-sites', path.resolve(WEB_SOURCE_ROOT, '../cases/body-sites.ts'));

/** What the app's and the card pages' builds share: one bundle per entry, minified, hashed, with source maps. */
function buildOptions(root: string) {
  return {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    charset: 'utf8',
    // Errors in the browser still point at the sources, in the developer tools.
    sourcemap: 'linked',
    nodePaths: [NODE_MODULES],
    outdir: 'out',
    entryNames: '[name].[hash]',
    write: false as const,
    metafile: true as const,
    logLevel: 'silent',
    plugins: [webI18n, webPhotoQuality, webBodySites],
  } satisfies esbuild.BuildOptions;
}

async function bundle(root: string, options: Pick<esbuild.BuildOptions, 'entryPoints' | 'format' | 'splitting' | 'chunkNames' | 'target'>): Promise<BuiltFile[]> {
  bundlesInFlight += 1;
  try {
    const result = await esbuild.build({ ...buildOptions(root), ...options });
    // out/app.<hash>.js was built from public/app.js.
    const sources = new Map(Object.entries(result.metafile.outputs).map(([output, meta]) => [path.basename(output), meta.entryPoint]));
    return result.outputFiles.map((output) => {
      const name = path.basename(output.path);
      return { name, source: sources.get(name), body: Buffer.from(output.contents) };
    });
  } finally {
    bundlesInFlight -= 1;
    if (bundlesInFlight === 0) await esbuild.stop();
  }
}

/** The app: ES modules, each language's messages a chunk of their own, fetched by import() when a reader needs them. */
const bundleApp = (root: string) => bundle(root, { entryPoints: BUNDLED, format: 'esm', splitting: true, chunkNames: '[name].[hash]', target: BROWSERS });
/** The card pages' bundles: classic scripts (no modules on the oldest phones), lowered for them. */
const bundleCardScripts = (root: string) => bundle(root, { entryPoints: CARD_BUNDLED, format: 'iife', target: OLD_PHONES });

/** index.html names the entry points by their own paths (/app.js); the page sent names the hashed files. */
function withHashedNames(html: string, urlOf: (source: string) => string | undefined): string {
  return html.replace(/\b(src|href)="\/([^"#?]+)"/g, (attribute, name: string, file: string) => {
    const url = urlOf(`public/${file}`);
    return url ? `${name}="${url}"` : attribute;
  });
}

async function buildFrom(root: string): Promise<WebAssets> {
  const files = new Map<string, Asset>();
  const urls = new Map<string, string>();
  const add = (source: string | undefined, name: string, body: Buffer) => {
    if (files.has(name)) throw new Error(`two files would be served as ${ASSET_PREFIX}${name}`);
    const asset = makeAsset(`${ASSET_PREFIX}${name}`, body, YEAR_IMMUTABLE);
    files.set(name, asset);
    if (source) urls.set(source, asset.url);
  };

  let page: Asset;
  try {
    const [app, cardScripts, html] = await Promise.all([bundleApp(root), bundleCardScripts(root), readFile(path.join(root, PAGE), 'utf8')]);
    for (const { source, name, body } of [...app, ...cardScripts]) add(source, name, body);
    for (const source of AS_WRITTEN) {
      const { name, body } = asWritten(path.join(root, source));
      add(source, name, body);
    }
    page = makeAsset('/', Buffer.from(withHashedNames(html, (source) => urls.get(source))), REVALIDATE);
  } catch (err) {
    throw new WebBuildError(root, err);
  }
  // The pages name the service's own files, as servedUrl does: a build of a copy elsewhere (tests) does not move them.
  if (root === WEB_SOURCE_ROOT) for (const source of CARD_BUNDLED) cardBundles.set(source, urls.get(source)!);

  return {
    page,
    file: (name) => files.get(name),
    precompress() {
      // Source maps wait for a developer's tools to ask. A request that comes sooner waits for its body.
      for (const asset of [page, ...files.values()]) {
        if (asset.url.endsWith('.map')) continue;
        for (const encoding of ['br', 'gzip'] as const) asset.body(encoding).catch(() => undefined);
      }
    },
  };
}

const builds = new Map<string, Promise<WebAssets>>();

/** The files built from the sources under `root` (src/web unless a test builds a copy), once per process. */
export function buildWebAssets(root: string = WEB_SOURCE_ROOT): Promise<WebAssets> {
  const key = path.resolve(root);
  let built = builds.get(key);
  if (!built) {
    built = buildFrom(key);
    builds.set(key, built);
  }
  return built;
}
