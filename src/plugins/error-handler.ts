// One place that turns every failure into `{statusCode, code, error, message, requestId}`.
// 5xx bodies never carry internal messages; the details go to the log, keyed by the request id.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

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

function sendError(reply: FastifyReply, body: ErrorBody, headers: Record<string, string> = {}) {
  return reply.code(body.statusCode).headers(headers).type('application/json; charset=utf-8').send(body);
}

export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof AppError) {
        if (err.statusCode >= 500) request.log.warn({ code: err.code }, 'service unavailable');
        return sendError(reply, errorBody(request, err.statusCode, err.code, err.message), err.headers);
      }
      if (err.validation) {
        // e.g. "body/email must match format \"email\"": the field is named, the value is not echoed.
        return sendError(reply, errorBody(request, 400, 'VALIDATION_ERROR', err.message));
      }
      const statusCode = err.statusCode ?? 500;
      if (statusCode >= 400 && statusCode < 500) {
        const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
        const headers: Record<string, string> = {};
        if (statusCode === 429) headers['retry-after'] = String(reply.getHeader('retry-after') ?? 60);
        return sendError(
          reply,
          errorBody(request, statusCode, known?.code ?? (statusCode === 429 ? 'TOO_MANY_REQUESTS' : 'BAD_REQUEST'), known?.message ?? err.message),
          headers,
        );
      }
      request.log.error({ err }, 'request failed');
      const status = statusCode === 503 ? 503 : 500;
      const message = status === 503 ? 'The service is temporarily unavailable: try again shortly' : 'Internal server error';
      return sendError(reply, errorBody(request, status, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR', message));
    });

    app.setNotFoundHandler((request, reply) => {
      return sendError(reply, errorBody(request, 404, 'NOT_FOUND', 'Not found'));
    });
  },
  { name: 'error-handler' },
);
