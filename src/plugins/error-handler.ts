// One place that turns every failure into `{statusCode, code, error, message, requestId}`.
// 5xx bodies never carry internal messages; the details go to the log, keyed by the request id.
// The message follows Accept-Language (src/i18n/error-messages.ts); the code is the same in every language.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { classifyDatabaseError } from '../db/errors.js';
import { AppError } from '../errors.js';
import { errorMessage } from '../i18n/error-messages.js';
import { negotiateLanguage } from '../i18n/languages.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  requestId: string;
}

/** Fastify's and its plugins' own client errors, given stable codes and plain messages. */
const FRAMEWORK_ERRORS: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_CONTENT_TYPE', message: 'This request body type is not accepted here' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_ERROR', message: 'The JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_ERROR', message: 'The body is not valid JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'The request body is too large' },
  FST_REQ_FILE_TOO_LARGE: { code: 'FILE_TOO_LARGE', message: 'Photo too large' },
  FST_FILES_LIMIT: { code: 'TOO_MANY_FILES', message: 'Too many photos in one request' },
  FST_PARTS_LIMIT: { code: 'TOO_MANY_PARTS', message: 'Too many parts in one request' },
  FST_FIELDS_LIMIT: { code: 'TOO_MANY_FIELDS', message: 'Too many fields in one request' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'VALIDATION_ERROR', message: 'The request must be multipart/form-data' },
  FST_PROTO_VIOLATION: { code: 'VALIDATION_ERROR', message: 'The form contains a forbidden field name' },
};

export function errorBody(request: FastifyRequest, statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message, requestId: request.id };
}

/** A Vary header that also names `field`, keeping what is there (an asset route's accept-encoding). */
function varyWith(current: ReturnType<FastifyReply['getHeader']>, field: string): string {
  const fields = [current ?? []]
    .flat()
    .join(',')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  return fields.some((f) => f === '*' || f.toLowerCase() === field.toLowerCase()) ? fields.join(', ') : [...fields, field].join(', ');
}

/**
 * Sends an error body with its message in the language the request asks for (English stays as thrown).
 * An error is about one request at one moment: no cache, shared or private, may keep it.
 */
function sendError(request: FastifyRequest, reply: FastifyReply, statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
  const language = negotiateLanguage(request.headers['accept-language']);
  const body = errorBody(request, statusCode, code, errorMessage(language, code, statusCode, message));
  return reply
    .code(statusCode)
    .headers({ 'cache-control': 'no-store', ...headers, 'content-language': language, vary: varyWith(reply.getHeader('vary'), 'Accept-Language') })
    .type('application/json; charset=utf-8')
    .send(body);
}

export interface ClassifiedError {
  statusCode: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  /** 5xx details go to the log, never to the client. */
  internal: boolean;
}

/**
 * What any failure means to the client: status, stable code, safe message and headers. The one mapping
 * from errors to answers, used by the JSON handler below and by pages that show errors as HTML.
 */
export function classifyError(err: FastifyError): ClassifiedError {
  if (err instanceof AppError) {
    return { statusCode: err.statusCode, code: err.code, message: err.message, headers: err.headers, internal: false };
  }
  if (err.validation) {
    // e.g. "body/email must match format \"email\"": the field is named, the value is not echoed.
    return { statusCode: 400, code: 'VALIDATION_ERROR', message: err.message, headers: {}, internal: false };
  }
  const statusCode = err.statusCode ?? 500;
  if (statusCode >= 400 && statusCode < 500) {
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
    const code = known?.code ?? (statusCode === 429 ? 'TOO_MANY_REQUESTS' : 'BAD_REQUEST');
    return { statusCode, code, message: known?.message ?? err.message, headers: {}, internal: false };
  }
  const database = classifyDatabaseError(err);
  if (database?.statusCode === 409) return { ...database, headers: {}, internal: false };
  if (database) return { ...database, headers: { 'retry-after': '30' }, internal: true };
  if (statusCode === 503) {
    return { statusCode, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable: try again shortly', headers: {}, internal: true };
  }
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', headers: {}, internal: true };
}

/**
 * The router's own failures (Fastify's frameworkErrors option): a path whose percent-escapes do not
 * decode, or with a parameter longer than any id or token, names nothing that exists. Such requests get
 * the 404 of any unknown path, in the usual shape, rather than Fastify's 400 or 414 that echoes the path.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendError(request, reply, 404, 'NOT_FOUND', 'Not found');
    return;
  }
  request.log.error({ err: { message: error.message, code: error.code } }, 'router failure');
  void sendError(request, reply, 500, 'INTERNAL_ERROR', 'Internal server error');
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const classified = classifyError(err);
      if (err instanceof AppError && err.statusCode >= 500) request.log.warn({ code: err.code }, 'service unavailable');
      else if (classified.code.startsWith('DATABASE_')) {
        // The logger's err serializer withholds the query's text and values (src/logger.ts).
        request.log.error({ err, code: classified.code }, 'database unavailable');
      } else if (classified.internal) request.log.error({ err }, 'request failed');
      const headers = { ...classified.headers };
      if (classified.statusCode === 429 && !(err instanceof AppError)) headers['retry-after'] = String(reply.getHeader('retry-after') ?? 60);
      return sendError(request, reply, classified.statusCode, classified.code, classified.message, headers);
    });

    app.setNotFoundHandler((request, reply) => {
      return sendError(request, reply, 404, 'NOT_FOUND', 'Not found');
    });
  },
  { name: 'error-handler' },
);
