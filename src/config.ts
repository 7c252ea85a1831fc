// The service's configuration: every environment variable of SPEC "Running", parsed and validated once.
// A bad value stops the start with a message that names the variable.
import path from 'node:path';
import { passwordProblem } from './auth/password-policy.js';

export interface MinioConfig {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  region: string;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Absolute path of the SQLite database file (unused when databaseUrl is set). */
  databaseFile: string;
  /** PostgreSQL connection string (DATABASE_URL): every row lives there; null: SQLite under dataDir. */
  databaseUrl: string | null;
  /** Set when MINIO_ENDPOINT is given; otherwise an embedded S3 endpoint is started under dataDir. */
  minio: MinioConfig | null;
  bucket: string;
  adminEmail: string | null;
  adminPassword: string | null;
  maxUploadBytes: number;
  maxPixels: number;
  /** A photo whose decoding would take longer is refused 422 IMAGE_TOO_COMPLEX. */
  maxDecodeSeconds: number;
  /** Memory the photos being worked on may hold together; a photo that alone needs more is refused 413. */
  photoMemoryBytes: number;
  /** Photos per request, so that one request cannot hold the pipeline for minutes. */
  maxPhotosPerRequest: number;
  logLevel: string;
  /**
   * Whom to believe about the client's address (X-Forwarded-For): false, true (any proxy), or a list of
   * proxy addresses/CIDRs. Rate limits and the audit trail use that address.
   */
  trustProxy: boolean | string[];
  /** Base of the links shown to patients (follow-up links). */
  publicUrl: string;
  sessionTtlMs: number;
  claimLeaseMs: number;
  /** Failed sign-ins a minute from one address before every sign-in from it waits (src/auth/sign-in-throttle.ts). */
  loginRateLimitPerMinute: number;
  /** Failed sign-ins to one account in 15 minutes before every sign-in to it waits. */
  loginFailuresPerAccount: number;
  /** A connection that sends (almost) nothing this long while the service waits for it is closed. */
  connectionIdleSeconds: number;
  /** Event-loop delay (ms) above which new requests are shed with 503 OVERLOADED. */
  overloadEventLoopDelayMs: number;
  followUpRateLimitPerMinute: number;
  /** SMTP_URL (smtp:// or smtps://); null: the service sends no email. */
  smtpUrl: string | null;
  /** The sender of every email (SMTP_FROM). */
  smtpFrom: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MiB = 1024 * 1024;

type Env = Record<string, string | undefined>;

function readString(env: Env, name: string): string | null {
  const value = env[name];
  if (value === undefined || value.trim() === '') return null;
  return value.trim();
}

function readDatabaseUrl(env: Env): string | null {
  const raw = readString(env, 'DATABASE_URL');
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a URL such as postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// (only PostgreSQL is supported), got "${url.protocol}//"`);
  }
  if (!url.hostname || url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'must name a host and a database: postgres://user:password@host:5432/database');
  return raw;
}

function readNumber(env: Env, name: string, fallback: number, opts: { min: number; max: number; integer?: boolean }): number {
  const raw = readString(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (opts.integer !== false && !Number.isInteger(value))) {
    throw new ConfigError(name, `must be ${opts.integer === false ? 'a number' : 'a whole number'}, got "${raw}"`);
  }
  if (value < opts.min || value > opts.max) {
    throw new ConfigError(name, `must be between ${opts.min} and ${opts.max}, got ${value}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name);
  if (raw === null) return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readUrl(env: Env, name: string, fallback: string): string {
  const raw = readString(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function readSmtpUrl(env: Env): string | null {
  const raw = readString(env, 'SMTP_URL');
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'must be a URL such as smtp://user:password@mail.example.org:587 (smtps:// for TLS)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps://, got "${url.protocol}//"`);
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host');
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const host = readString(env, 'HOST') ?? '127.0.0.1';
  const port = readNumber(env, 'PORT', 3000, { min: 0, max: 65535 });
  const dataDir = path.resolve(readString(env, 'DATA_DIR') ?? './data');

  const endPoint = readString(env, 'MINIO_ENDPOINT');
  let minio: MinioConfig | null = null;
  if (endPoint !== null) {
    if (/[/:]/.test(endPoint)) {
      throw new ConfigError('MINIO_ENDPOINT', `must be a host name without scheme or port (use MINIO_PORT), got "${endPoint}"`);
    }
    const useSSL = readBoolean(env, 'MINIO_USE_SSL', false);
    const accessKey = readString(env, 'MINIO_ACCESS_KEY');
    const secretKey = readString(env, 'MINIO_SECRET_KEY');
    if (accessKey === null) throw new ConfigError('MINIO_ACCESS_KEY', 'is required when MINIO_ENDPOINT is set');
    if (secretKey === null) throw new ConfigError('MINIO_SECRET_KEY', 'is required when MINIO_ENDPOINT is set');
    minio = {
      endPoint,
      port: readNumber(env, 'MINIO_PORT', useSSL ? 443 : 9000, { min: 1, max: 65535 }),
      useSSL,
      accessKey,
      secretKey,
      region: readString(env, 'MINIO_REGION') ?? 'us-east-1',
    };
  }

  const bucket = readString(env, 'MINIO_BUCKET') ?? 'photos';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError('MINIO_BUCKET', `must be a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens), got "${bucket}"`);
  }

  const adminEmail = readString(env, 'ADMIN_EMAIL');
  const adminPassword = readString(env, 'ADMIN_PASSWORD');
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(adminEmail === null ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD', 'must be set together with the other');
  }
  if (adminEmail !== null && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  }
  const weak = adminPassword === null ? null : passwordProblem(adminPassword);
  if (weak) throw new ConfigError('ADMIN_PASSWORD', `is not accepted: ${weak.charAt(0).toLowerCase()}${weak.slice(1)}`);

  const logLevel = (readString(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const trustProxyRaw = readString(env, 'TRUST_PROXY');
  let trustProxy: boolean | string[] = false;
  if (trustProxyRaw !== null && !['false', '0', 'no'].includes(trustProxyRaw.toLowerCase())) {
    if (['true', '1', 'yes'].includes(trustProxyRaw.toLowerCase())) trustProxy = true;
    else {
      trustProxy = trustProxyRaw.split(',').map((part) => part.trim()).filter(Boolean);
      const bad = trustProxy.find((part) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(part));
      if (bad) throw new ConfigError('TRUST_PROXY', `must be true, false or a comma-separated list of proxy addresses, got "${bad}"`);
    }
  }

  const publicUrl = readUrl(env, 'PUBLIC_URL', `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  const smtpFrom = readString(env, 'SMTP_FROM') ?? `Teledermatology <no-reply@${new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost'}>`;
  if (/[\r\n]/.test(smtpFrom) || !/@/.test(smtpFrom)) throw new ConfigError('SMTP_FROM', `must be an email address such as consult@clinic.example, got "${smtpFrom}"`);

  return {
    host,
    port,
    dataDir,
    databaseFile: path.join(dataDir, 'service.sqlite'),
    databaseUrl: readDatabaseUrl(env),
    minio,
    bucket,
    adminEmail,
    adminPassword,
    maxUploadBytes: readNumber(env, 'MAX_UPLOAD_BYTES', 30 * MiB, { min: 1024, max: 1024 * MiB }),
    maxPixels: readNumber(env, 'MAX_PIXELS', 100_000_000, { min: 1, max: 1_000_000_000 }),
    maxDecodeSeconds: readNumber(env, 'MAX_DECODE_SECONDS', 15, { min: 1, max: 600 }),
    photoMemoryBytes: readNumber(env, 'PHOTO_MEMORY_MB', 1024, { min: 64, max: 1024 * 1024 }) * MiB,
    maxPhotosPerRequest: readNumber(env, 'MAX_PHOTOS_PER_REQUEST', 20, { min: 1, max: 100 }),
    logLevel,
    trustProxy,
    publicUrl,
    sessionTtlMs: readNumber(env, 'SESSION_TTL_HOURS', 12, { min: 0.0001, max: 24 * 30, integer: false }) * 3600_000,
    claimLeaseMs: readNumber(env, 'CLAIM_LEASE_MINUTES', 30, { min: 0.001, max: 24 * 60, integer: false }) * 60_000,
    loginRateLimitPerMinute: readNumber(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 20, { min: 1, max: 10_000 }),
    loginFailuresPerAccount: readNumber(env, 'LOGIN_FAILURES_PER_ACCOUNT', 10, { min: 1, max: 10_000 }),
    connectionIdleSeconds: readNumber(env, 'CONNECTION_IDLE_SECONDS', 30, { min: 0.1, max: 3600, integer: false }),
    overloadEventLoopDelayMs: readNumber(env, 'OVERLOAD_EVENT_LOOP_DELAY_MS', 1000, { min: 10, max: 600_000 }),
    followUpRateLimitPerMinute: readNumber(env, 'FOLLOW_UP_RATE_LIMIT_PER_MINUTE', 30, { min: 1, max: 10_000 }),
    smtpUrl: readSmtpUrl(env),
    smtpFrom,
  };
}

/** For command-line entry points: the configuration, or exit 78 (EX_CONFIG) with the message. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
