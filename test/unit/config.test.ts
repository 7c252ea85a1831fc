import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('gives the SPEC defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.minio).toBeNull();
    expect(config.bucket).toBe('photos');
    expect(config.maxUploadBytes).toBe(30 * 1024 * 1024);
    expect(config.maxPixels).toBe(100_000_000);
    expect(config.logLevel).toBe('info');
    expect(config.claimLeaseMs).toBe(30 * 60_000);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ MAX_PIXELS: '-1' }, /MAX_PIXELS/],
    [{ MAX_UPLOAD_BYTES: '1.5' }, /MAX_UPLOAD_BYTES must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ MINIO_ENDPOINT: 'minio.local' }, /MINIO_ACCESS_KEY is required/],
    [{ MINIO_ENDPOINT: 'http://minio.local:9000', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b' }, /MINIO_ENDPOINT must be a host name/],
    [{ MINIO_ENDPOINT: 'minio.local', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b', MINIO_USE_SSL: 'maybe' }, /MINIO_USE_SSL must be true or false/],
    [{ MINIO_BUCKET: 'Photos_Bucket' }, /MINIO_BUCKET must be a valid S3 bucket name/],
    [{ ADMIN_EMAIL: 'admin@x.org' }, /ADMIN_PASSWORD must be set together/],
    [{ ADMIN_EMAIL: 'admin@x.org', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD is not accepted: the password must be at least 12/],
    [{ ADMIN_EMAIL: 'admin@x.org', ADMIN_PASSWORD: 'password1234' }, /ADMIN_PASSWORD is not accepted: this password is one of the most common/],
    [{ PUBLIC_URL: 'ftp://clinic' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ OVERLOAD_EVENT_LOOP_DELAY_MS: '5' }, /OVERLOAD_EVENT_LOOP_DELAY_MS must be between/],
    [{ TRUST_PROXY: 'the load balancer' }, /TRUST_PROXY must be true, false or a comma-separated list/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('trusts no proxy by default, any with TRUST_PROXY=true, or the listed ones', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).trustProxy).toEqual(['10.0.0.1', '10.1.0.0/16']);
  });

  it('reads a real MinIO server from MINIO_*', () => {
    const config = loadConfig({ MINIO_ENDPOINT: 'minio.internal', MINIO_PORT: '9100', MINIO_USE_SSL: 'true', MINIO_ACCESS_KEY: 'ak', MINIO_SECRET_KEY: 'sk', MINIO_BUCKET: 'derm-photos' });
    expect(config.minio).toEqual({ endPoint: 'minio.internal', port: 9100, useSSL: true, accessKey: 'ak', secretKey: 'sk', region: 'us-east-1' });
    expect(config.bucket).toBe('derm-photos');
  });
});
