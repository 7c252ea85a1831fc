// pino options shared by the server and tests. Logs never carry tokens, passwords, file names or case text:
// secrets are redacted by path, and a request's path is logged as the pattern of its route (loggedPath).
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

/**
 * What a log line says of a request's path: the pattern of the route it reached (`/f/:token`,
 * `/api/v1/cases/:id`), never the path as sent, which may carry a follow-up token in any spelling
 * (`/%66/<token>`). A request that reached no route is logged with every long segment elided, since a
 * secret can hide in a path that matches nothing too.
 */
export function loggedPath(request: { url: string; routeOptions?: { url?: string } }): string {
  const route = request.routeOptions?.url;
  if (route) return route;
  const path = request.url.split('?')[0] ?? '';
  return path.replace(/[^/]{16,}/g, '…');
}

export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string; routeOptions?: { url?: string } }) {
        return { method: request.method, url: loggedPath(request), id: request.id, ip: request.ip };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
