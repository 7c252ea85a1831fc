// pino options shared by the server and tests. Logs never carry tokens, passwords, file names or case text:
// secrets are redacted by path, request URLs are logged without their query or follow-up token.
import type { FastifyServerOptions } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  // @fastify/multipart logs busboy's options, request headers included, at trace level.
  'busboyOptions.headers.authorization',
  'busboyOptions.headers.cookie',
  'authorization',
  'password',
  'passwordHash',
  'token',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.tokenHash',
];

/** Drops the query string and the secret part of /f/:token paths. */
export function safeUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/^\/f\/[^/]+/, '/f/[token]');
}

export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        return { method: request.method, url: safeUrl(request.url), id: request.id, ip: request.ip };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
