// Builds the real app for route tests, every log line captured so tests can check that no secret or case
// text is logged. The backends are those of the vitest project: SQLite and the embedded S3 endpoint in a
// temporary DATA_DIR, or (project "postgres-rgw") a fresh database on the run's throwaway PostgreSQL and a
// fresh bucket on its Ceph RADOS Gateway (test/helpers/*-global.ts start those).
import fs from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import * as Minio from 'minio';
import supertest, { type Test } from 'supertest';
import { inject } from 'vitest';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { rgwEnv, type RgwConnection } from './ceph-rgw.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type PostgresConnection } from './postgres.js';
import { createContract } from './contract.js';
import { testSql, type TestSql } from './sql.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

export const ADMIN = { email: 'admin@clinic.test', password: 'admin-password-long' };

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  http: ReturnType<typeof supertest>;
  /** The app's "now": move it forward to expire leases, sessions and links. */
  clock: TestClock;
  /** Raw SQL under the API, the same text on SQLite and PostgreSQL. */
  sql: TestSql;
  /** Every log line written so far, raw. */
  logs: string[];
  dataDir: string;
  login(email: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  /**
   * A request with its path sent exactly as given (supertest and fetch normalise dot segments and
   * percent-escapes first), over a real socket to the listening app.
   */
  raw(method: string, path: string, headers?: Record<string, string>, body?: string | Buffer): Promise<RawResponse>;
  /** The app listening on a real socket (started on first call): http://127.0.0.1:<port>. */
  baseUrl(): Promise<string>;
  /** Creates a user through the API and returns its id and a token. */
  createUser(role: 'admin' | 'clinician' | 'reviewer' | 'trainee', extra?: { queues?: string[]; siteId?: string; name?: string }): Promise<{ id: string; token: string; email: string; password: string }>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

let counter = 0;

/** What this vitest project runs on (vitest.config.ts): provided by its global setup, or nothing. */
export const backends = {
  postgres: inject('postgres') as PostgresConnection | undefined,
  rgw: inject('rgw') as RgwConnection | undefined,
};
export const databaseDialect = backends.postgres ? 'postgres' : 'sqlite';

/** Empties and removes a test's bucket: the gateway keeps objects in memory for the whole run. */
async function removeBucket(rgw: RgwConnection, bucket: string): Promise<void> {
  const client = new Minio.Client({ endPoint: rgw.endpoint, port: rgw.port, useSSL: false, accessKey: rgw.accessKey, secretKey: rgw.secretKey, region: rgw.region });
  if (!(await client.bucketExists(bucket))) return;
  const keys: string[] = [];
  for await (const item of client.listObjectsV2(bucket, '', true) as AsyncIterable<{ name?: string }>) if (item.name) keys.push(item.name);
  if (keys.length > 0) await client.removeObjects(bucket, keys);
  await client.removeBucket(bucket);
}

async function backendEnv(): Promise<{ env: Record<string, string>; release(): Promise<void> }> {
  const releases: (() => Promise<void>)[] = [];
  let env: Record<string, string> = {};
  if (backends.postgres) {
    const database = await createTestDatabase(backends.postgres.adminUrl);
    env.DATABASE_URL = database.url;
    releases.push(() => database.drop());
  }
  if (backends.rgw) {
    const rgw = backends.rgw;
    const bucket = `test-${process.pid}-${++counter}-${Date.now().toString(36)}`;
    env = { ...env, ...rgwEnv(rgw, bucket) };
    releases.push(() => removeBucket(rgw, bucket));
  }
  return { env, release: async () => void (await Promise.allSettled(releases.map((release) => release()))) };
}

export async function startTestApp(env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-test-'));
  const backend = await backendEnv();
  const config = loadConfig({
    ...backend.env,
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'info',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    FOLLOW_UP_RATE_LIMIT_PER_MINUTE: '1000',
    // Load shedding is tested on its own (test/faults/overload.test.ts); a busy CI machine must not turn
    // a slow event loop into 503s in tests about something else.
    OVERLOAD_EVENT_LOOP_DELAY_MS: '60000',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const loggerInstance = pino(loggerOptions(config.logLevel) as pino.LoggerOptions, sink);
  const clock = new TestClock();
  const app = await buildApp(config, { loggerInstance, clock, ...options });
  // Every response a test receives is held to the OpenAPI document (test/helpers/contract.ts); what
  // breaks it fails the file when the app is closed.
  const contract = createContract(app.swagger() as unknown as Parameters<typeof createContract>[0]);
  const contractViolations: string[] = [];
  const checkResponse = (method: string, url: string, res: { status: number; headers: Record<string, unknown>; body?: unknown; text?: string }, raw?: string | Buffer) => {
    const contentType = res.headers['content-type'] as string | undefined;
    const rawBody = raw ?? (Buffer.isBuffer(res.body) ? res.body : res.text);
    const violation = contract.check(method, url, res.status, contentType, res.body, rawBody);
    if (violation) contractViolations.push(violation);
  };
  const agent = supertest(app.server);
  const http = new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !HTTP_METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]) => {
        // superagent asks the server to close the connection after its answer; an upload answered early
        // (401, 404) would then meet a closed socket (EPIPE) while still sending. Browsers keep the
        // connection, so the server reads the rest and the answer arrives: the tests do the same.
        const test = (value as (url: string, ...rest: unknown[]) => Test).call(target, url, ...rest).set('connection', 'keep-alive');
        test.on('response', (res: { status: number; headers: Record<string, unknown>; body?: unknown; text?: string }) => checkResponse(property.toUpperCase(), url, res));
        return test;
      };
    },
  });

  async function login(email: string, password: string): Promise<string> {
    const res = await http.post('/api/v1/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  }

  let adminTokenCache: string | null = null;
  async function adminToken() {
    adminTokenCache ??= await login(ADMIN.email, ADMIN.password);
    return adminTokenCache;
  }

  let port: Promise<number> | null = null;
  async function listeningPort(): Promise<number> {
    port ??= app.listen({ port: 0, host: '127.0.0.1' }).then(() => (app.server.address() as AddressInfo).port);
    return port;
  }

  return {
    app,
    config,
    http,
    clock,
    sql: testSql(app.database),
    logs,
    dataDir,
    login,
    adminToken,
    baseUrl: async () => `http://127.0.0.1:${await listeningPort()}`,
    async raw(method, path, headers = {}, body) {
      const at = await listeningPort();
      return new Promise<RawResponse>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port: at, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, agent: false }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const result = { status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString() };
            if (/^\/(api|f|healthz|readyz)\b/.test(path)) checkResponse(method, path, { ...result, headers: result.headers }, Buffer.concat(chunks));
            resolve(result);
          });
        });
        request.on('error', reject);
        request.end(body);
      });
    },
    async createUser(role, extra = {}) {
      counter += 1;
      const email = `${role}${counter}-${Date.now()}@clinic.test`;
      const password = `password-${counter}-long-enough`;
      const res = await http
        .post('/api/v1/users')
        .set('authorization', `Bearer ${await adminToken()}`)
        .send({ email, password, role, name: extra.name ?? `${role} ${counter}`, ...(extra.queues ? { queues: extra.queues } : {}), ...(extra.siteId ? { siteId: extra.siteId } : {}) });
      if (res.status !== 201) throw new Error(`createUser failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id as string, email, password, token: await login(email, password) };
    },
    async close() {
      await app.close();
      await backend.release();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (contractViolations.length > 0) {
        // The server's own error lines say why (an undeclared 500 is usually an uncaught failure).
        const errors = logs.filter((line) => /"level":(50|60)/.test(line)).slice(0, 5);
        throw new Error(`responses that break the OpenAPI document:\n${[...new Set(contractViolations)].join('\n')}${errors.length ? `\nerror log:\n${errors.join('')}` : ''}`);
      }
    },
  };
}
