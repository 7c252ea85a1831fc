// Error bodies in the reader's language: the status and `code` never change, `message` follows Accept-Language
// (English exactly as before when English is asked for, nothing is, or only languages we do not have), and
// every code the service can answer has its message in the `errors` catalogue.
import fs from 'node:fs';
import path from 'node:path';
import type { Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANT_ARGUMENT } from '../../src/i18n/error-messages.js';
import { loadCatalogue, translator } from '../../src/i18n/messages.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postCase } from '../helpers/cases.js';
import { auth, PSORIASIS, reviewKit } from '../helpers/review-kit.js';

const TRANSLATED = ['zh-CN', 'es', 'fr'] as const;
const HAN = /\p{Script=Han}/u;
const MiB = 1024 * 1024;

interface Failure {
  name: string;
  send: () => Test;
  status: number;
  code: string;
  /** The catalogue message it must read as in another language, from the English body. */
  translated: (language: (typeof TRANSLATED)[number], english: string) => string;
}

describe('error bodies in the reader’s language', () => {
  let t: TestApp;
  let failures: Failure[];

  beforeAll(async () => {
    t = await startTestApp({ MAX_UPLOAD_BYTES: String(MiB), LOGIN_FAILURES_PER_ACCOUNT: '3' });
    const kit = reviewKit(t);
    const slug = await kit.queue(2);
    const [reviewer] = await kit.reviewers(1, [slug]);
    const clinician = await t.createUser('clinician');
    const c = await kit.openCase(clinician.token, { queue: slug });
    expect((await kit.claim(reviewer!.token, slug)).body.id).toBe(c.id);
    expect((await kit.opinion(reviewer!.token, c.id, PSORIASIS)).status).toBe(201);
    let signIns = 0;

    failures = [
      {
        name: 'a failed sign-in',
        // A new address each time: the account's own failures must not turn it into a 429.
        send: () => t.http.post('/api/v1/auth/login').send({ email: `nobody-${++signIns}@clinic.test`, password: 'not-the-password' }),
        status: 401,
        code: 'UNAUTHORIZED',
        translated: (l) => translator(l)('errors.UNAUTHORIZED.signInFailed'),
      },
      {
        name: 'a case that does not exist',
        send: () => t.http.get('/api/v1/cases/no-such-case-0123456789').set(auth(clinician.token)),
        status: 404,
        code: 'NOT_FOUND',
        translated: (l) => translator(l)('errors.NOT_FOUND.case'),
      },
      {
        name: 'an unknown path',
        send: () => t.http.get('/api/v1/no-such-thing').set(auth(clinician.token)),
        status: 404,
        code: 'NOT_FOUND',
        translated: (l) => translator(l)('errors.NOT_FOUND'),
      },
      {
        name: 'a body that breaks the schema',
        send: () => t.http.post('/api/v1/auth/login').send({ email: 'someone@clinic.test' }),
        status: 400,
        code: 'VALIDATION_ERROR',
        // The field and the rule stay as they are, for whoever wrote the request.
        translated: (l, english) => translator(l)('errors.VALIDATION_ERROR', { detail: english }),
      },
      {
        name: 'a second opinion',
        send: () => kit.opinion(reviewer!.token, c.id, PSORIASIS),
        status: 409,
        code: 'OPINION_EXISTS',
        translated: (l) => translator(l)('errors.OPINION_EXISTS'),
      },
      {
        name: 'a photo over the upload limit',
        send: () => postCase(t, clinician.token, [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1.5 * MiB)])], { queue: slug }),
        status: 413,
        code: 'FILE_TOO_LARGE',
        translated: (l) => translator(l)('errors.FILE_TOO_LARGE.limit', { limit: 1 }),
      },
    ];
  });
  afterAll(async () => t?.close());

  const withLanguage = (test: Test, acceptLanguage: string | undefined) => (acceptLanguage === undefined ? test : test.set('accept-language', acceptLanguage));

  it('keeps the status and code in every language and says the message in the one asked for', async () => {
    for (const failure of failures) {
      const english = await failure.send();
      expect(english.status, failure.name).toBe(failure.status);
      expect(english.body.code, failure.name).toBe(failure.code);
      expect(english.headers['content-language'], failure.name).toBe('en');
      for (const language of TRANSLATED) {
        const res = await withLanguage(failure.send(), language);
        const what = `${failure.name} in ${language}`;
        expect(res.status, what).toBe(failure.status);
        expect(Object.keys(res.body).sort(), what).toEqual(['code', 'error', 'message', 'requestId', 'statusCode']);
        expect(res.body, what).toMatchObject({ statusCode: failure.status, code: failure.code, error: english.body.error });
        expect(res.body.message, what).toBe(failure.translated(language, english.body.message));
        expect(res.body.message, what).not.toBe(english.body.message);
        if (language === 'zh-CN') expect(res.body.message, what).toMatch(HAN);
        expect(res.headers['content-language'], what).toBe(language);
        expect(res.headers.vary, what).toMatch(/accept-language/i);
        expect(res.headers['content-type'], what).toMatch(/^application\/json/);
      }
    }
  });

  it('keeps the technical detail of a schema error in parentheses after the translated sentence', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('accept-language', 'fr-CA,fr;q=0.9').send({ email: 'someone@clinic.test' });
    expect(res.body.code).toBe('VALIDATION_ERROR');
    expect(res.body.message).toMatch(/^Une donnée de la requête manque ou n’est pas valide \(.*password.*\)$/);
  });

  it('answers in English, as before, to English, to languages it does not have, to * and to nonsense', async () => {
    for (const failure of failures) {
      const plain = await failure.send();
      for (const acceptLanguage of ['en', 'en-GB,en;q=0.9', 'de', 'de-DE,it;q=0.8', '*', ';;;q=x,,', '%%%', 'zh-CN;q=0']) {
        const res = await withLanguage(failure.send(), acceptLanguage);
        const what = `${failure.name} for "${acceptLanguage}"`;
        expect(res.status, what).toBe(failure.status);
        expect(res.body.code, what).toBe(failure.code);
        expect(res.body.message, what).toBe(plain.body.message);
        expect(res.headers['content-language'], what).toBe('en');
      }
    }
  });

  it('says how long to wait after too many failed sign-ins, in the language asked for', async () => {
    const email = 'guessed@clinic.test';
    for (let i = 0; i < 3; i++) expect((await t.http.post('/api/v1/auth/login').send({ email, password: 'wrong-password-guess' })).status).toBe(401);
    const english = await t.http.post('/api/v1/auth/login').send({ email, password: 'wrong-password-guess' });
    expect(english.status).toBe(429);
    expect(english.body.message).toBe('Too many failed sign-ins: try again in 15 minutes');
    const chinese = await t.http.post('/api/v1/auth/login').set('accept-language', 'zh-CN').send({ email, password: 'wrong-password-guess' });
    expect(chinese.status).toBe(429);
    expect(chinese.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: '登录失败次数过多：请在 15 分钟后再试' });
    expect(chinese.headers['retry-after']).toBe(english.headers['retry-after']);
  });
});

/** Every .ts file under src/, but the browser's own code (it throws no HTTP errors). */
function sourceFiles(dir = 'src'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return file === path.join('src', 'web', 'public') ? [] : sourceFiles(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

const CODE = `'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'`;

/**
 * The codes the service can answer, found as they are written: the code argument of an HTTP error class
 * (those extending AppError) or of its super() call, a `code = '...'` default and a `code: '...'` entry
 * (the framework's and the database's errors).
 */
function codesInSource(): Map<string, string[]> {
  const sources = sourceFiles().map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const parents = new Map<string, string>();
  for (const { text } of sources) for (const m of text.matchAll(/\bclass (\w+) extends (\w+)/g)) parents.set(m[1]!, m[2]!);
  const isHttpError = (name: string): boolean => name === 'AppError' || (parents.has(name) && isHttpError(parents.get(name)!));
  const httpErrors = [...parents.keys()].filter(isHttpError);
  expect(httpErrors).toEqual(expect.arrayContaining(['NotFoundError', 'ServiceUnavailableError', 'TooManyPhotosError']));

  const patterns = [
    // The code is the last argument of the constructor or super() call (arguments may hold calls and templates).
    new RegExp(`\\b(?:new (?:${httpErrors.join('|')})|super)\\((?:[^;()]|\\([^()]*\\))*?${CODE}\\s*[,)]`, 'g'),
    new RegExp(`\\bcode(?:\\s*=|:)\\s*${CODE}`, 'g'),
  ];
  const found = new Map<string, string[]>();
  for (const { file, text } of sources) {
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), file]);
  }
  return found;
}

describe('the errors catalogue', () => {
  const english = loadCatalogue('en');

  it('has a message for every code the code base answers with', () => {
    const codes = codesInSource();
    // The scan finds the codes of each kind of source: error classes, throw sites, the framework's and the database's.
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['NOT_FOUND', 'OPINION_EXISTS', 'TOO_MANY_PHOTOS', 'STORAGE_UNAVAILABLE', 'BODY_TOO_LARGE', 'DATABASE_BUSY', 'OVERLOADED']));
    const missing = [...codes].filter(([code]) => !(`errors.${code}` in english)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('has a message for each status, for codes that come from elsewhere', () => {
    for (const key of ['status.4xx', 'status.5xx', 'status.404']) expect(english[`errors.${key}`]).toBeTruthy();
  });

  it("words each variant of a code as plain text around {arguments} and {numbers, number}, so that the English thrown can be matched", () => {
    for (const [key, text] of Object.entries(english)) {
      const variant = /^errors\.([A-Z][A-Z0-9_]*)\.\w+$/.exec(key);
      if (!variant) continue;
      expect(english[`errors.${variant[1]}`], `${key} belongs to a code with its own message`).toBeTruthy();
      expect(text.replace(VARIANT_ARGUMENT, ''), key).not.toMatch(/[{}]/);
    }
  });
});
