// pino options shared by the server and tests. Logs never carry tokens, passwords, file names or case text:
// secrets are redacted by path, and a request's path is logged as the pattern of its route (loggedPath).
import type { FastifyServerOptions } from 'fastify';
import pino from 'pino';

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

/**
 * A failed query's error carries the SQL and its values (drizzle's "Failed query: ... params: ..."), and
 * PostgreSQL's `detail` quotes the row ("Key (email)=(...) already exists"): case text, emails, token
 * hashes. What is logged of an error keeps its type, code and the driver's message, never those.
 */
const WITHHELD_FIELDS = new Set(['query', 'params', 'detail', 'where', 'internalQuery', 'parameters']);
const QUERY_TEXT = /Failed query:[\s\S]*/;
const WITHHELD = 'Failed query (its text and values are not logged)';

function withoutQueryText(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(QUERY_TEXT, WITHHELD);
  if (!value || typeof value !== 'object' || depth > 5) return value;
  if (Array.isArray(value)) return value.map((item) => withoutQueryText(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !WITHHELD_FIELDS.has(key))
      .map(([key, item]) => [key, withoutQueryText(item, depth + 1)]),
  );
}

export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return withoutQueryText(error);
  const serialized: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  // The stack starts with the message: that part is withheld, the frames are kept.
  if (typeof serialized.stack === 'string') serialized.stack = serialized.stack.replace(error.message, String(withoutQueryText(error.message)));
  // The driver's own error (the cause of drizzle's) says what went wrong.
  if (error.cause !== undefined && serialized.cause === undefined && depth < 3) serialized.cause = serializeError(error.cause, depth + 1);
  return withoutQueryText(serialized);
}

/**
 * `pretty`: human-readable lines (pino-pretty, pino's own transport, in a worker thread) for a person
 * watching a terminal; JSON lines otherwise, for log collectors. Redaction and serializers apply to both.
 */
export function loggerOptions(level: string, { pretty = false } = {}): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true } } } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string; routeOptions?: { url?: string } }) {
        return { method: request.method, url: loggedPath(request), id: request.id, ip: request.ip };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
      err: (error: unknown) => serializeError(error) as ReturnType<typeof pino.stdSerializers.err>,
    },
  };
}
