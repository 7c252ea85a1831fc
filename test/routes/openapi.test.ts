// The OpenAPI document at /docs/json: it lints with no error in Redocly CLI, names every operation, marks the
// public ones, declares the multipart bodies with their fields and every answer with its media type. (Every
// response the route tests receive is also checked against it: test/helpers/contract.ts.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { type?: string; items?: { format?: string } }> }; encoding?: Record<string, { contentType: string }> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: { servers?: { url: string }[]; security?: unknown[]; paths: Record<string, Record<string, Operation>> };
  const operations = () => Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ path: p, method, op })));
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://derm.example.org' });
    doc = (await t.http.get('/docs/json')).body;
  });
  afterAll(async () => t.close());

  it('lints with no error in Redocly CLI (its recommended rules)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify(doc));
      const bin = path.resolve('node_modules/.bin/redocly');
      const { stdout } = await promisify(execFile)(bin, ['lint', file, '--format=json'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).catch(
        (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; location: { pointer: string }[] }[] };
      expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
      // The only warnings: the health probes have no 4xx answer to declare.
      expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)).toEqual(['operation-4xx-response #/paths/~1healthz/get/responses', 'operation-4xx-response #/paths/~1readyz/get/responses']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('names the server, and gives every operation a unique operationId, tags and a summary', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://derm.example.org' })]);
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of operations()) {
      expect(op.tags?.length, `${method} ${p}`).toBeGreaterThan(0);
      expect(op.summary, `${method} ${p}`).toBeTruthy();
    }
  });

  it('marks exactly the public operations with security: [] and the rest as needing the bearer token', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    const open = operations()
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(({ path: p, method }) => `${method} ${p}`)
      .sort();
    expect(open).toEqual([
      'get /f/{token}',
      'get /healthz',
      'get /readyz',
      'get /reset',
      'get /setup',
      'post /api/v1/auth/login',
      'post /api/v1/auth/reset',
      'post /api/v1/setup',
      'post /f/{token}/photos',
    ]);
  });

  it('declares the multipart bodies and their fields: photos as files, JSON fields as JSON', () => {
    for (const [p, required] of [['/api/v1/cases', ['case', 'photos']], ['/api/v1/cases/{id}/photos', ['photos']], ['/f/{token}/photos', ['photos']]] as const) {
      const form = doc.paths[p]!.post!.requestBody!.content['multipart/form-data']!;
      expect(form.schema.properties!.photos).toMatchObject({ type: 'array', items: { format: 'binary' } });
      expect((form.schema as { required?: string[] }).required).toEqual([...required]);
    }
    const newCase = doc.paths['/api/v1/cases']!.post!.requestBody!.content['multipart/form-data']!;
    expect(newCase.schema.properties!.case).toMatchObject({ type: 'object' });
    expect(newCase.encoding).toEqual({ case: { contentType: 'application/json' }, kinds: { contentType: 'application/json' } });
  });

  it('declares each answer with its real media type: bytes, pages and FHIR as such, errors as JSON', () => {
    const media = (p: string, method: string, status: string) => Object.keys(doc.paths[p]![method]!.responses[status]!.content ?? {});
    expect(media('/api/v1/photos/{id}', 'get', '200')).toEqual(['image/jpeg']);
    expect(media('/api/v1/photos/{id}', 'get', '404')).toEqual(['application/json']);
    expect(media('/api/v1/cases/{id}/fhir', 'get', '200')).toEqual(['application/fhir+json']);
    expect(media('/api/v1/cases/{id}/fhir', 'get', '404')).toEqual(['application/json']);
    expect(media('/f/{token}', 'get', '200')).toEqual(['text/html']);
    expect(media('/f/{token}', 'get', '404').sort()).toEqual(['application/json', 'text/html']);
    // The errors every route of its kind can give: a bad id, an oversized or mistyped body, a shed request.
    const create = doc.paths['/api/v1/users']!.post!.responses;
    for (const status of ['400', '401', '403', '413', '415', '503']) expect(Object.keys(create)).toContain(status);
    for (const status of ['400', '404']) expect(Object.keys(doc.paths['/api/v1/cases/{id}']!.get!.responses)).toContain(status);
  });
});
