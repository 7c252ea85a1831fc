// Builds the real app for route tests: a real SQLite file and the embedded S3 endpoint in a temporary
// DATA_DIR, every log line captured so tests can check that no secret or case text is logged.
import fs from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import supertest from 'supertest';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';

export const ADMIN = { email: 'admin@clinic.test', password: 'admin-password-long' };

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  http: ReturnType<typeof supertest>;
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
  /** Creates a user through the API and returns its id and a token. */
  createUser(role: 'admin' | 'clinician' | 'reviewer', extra?: { queues?: string[]; siteId?: string; name?: string }): Promise<{ id: string; token: string; email: string; password: string }>;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

let counter = 0;

export async function startTestApp(env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-test-'));
  const config = loadConfig({
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
  const app = await buildApp(config, { loggerInstance, ...options });
  const http = supertest(app.server);

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
    logs,
    dataDir,
    login,
    adminToken,
    async raw(method, path, headers = {}, body) {
      const at = await listeningPort();
      return new Promise<RawResponse>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port: at, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, agent: false }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString() }));
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
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
