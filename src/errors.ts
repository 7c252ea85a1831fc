// Typed errors thrown by the domain and the routes. One error handler (src/plugins/error-handler.ts)
// turns them into `{statusCode, code, error, message, requestId}`; anything else becomes a bare 500.

export class AppError extends Error {
  readonly statusCode: number;
  readonly code: string;
  /** Extra headers the reply should carry (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = new.target.name;
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, code = 'BAD_REQUEST') {
    super(400, code, message);
  }
}

/** A password that breaks the rules of src/auth/password-policy.ts; the message says which. */
export class WeakPasswordError extends AppError {
  constructor(problem: string) {
    super(400, 'WEAK_PASSWORD', problem);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You may not do this') {
    super(403, 'FORBIDDEN', message);
  }
}

/** Also used for resources the caller may not see, so that ids cannot be probed. */
export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'NOT_FOUND', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT') {
    super(409, code, message);
  }
}

export class FileTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, 'FILE_TOO_LARGE', `Photo too large: the limit is ${Math.floor(maxBytes / (1024 * 1024))} MiB per file`);
  }
}

export class ImageTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'IMAGE_TOO_LARGE', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'This file is not a photo: send JPEG, PNG, WebP, TIFF, HEIC or AVIF') {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}

/** A real image of a kind the service cannot take (an image sequence, a 12-bit JPEG...): the message says which. */
export class UnsupportedImageError extends AppError {
  constructor(message: string) {
    super(415, 'UNSUPPORTED_IMAGE', message);
  }
}

/** A photo that would take longer than MAX_DECODE_SECONDS to open, or has an implausible structure for its size. */
export class ImageTooComplexError extends AppError {
  constructor(message = 'The photo is too complex to open: please send it as an ordinary JPEG') {
    super(422, 'IMAGE_TOO_COMPLEX', message);
  }
}

export class MalformedMultipartError extends AppError {
  constructor(message = 'The upload is not a well-formed multipart/form-data body: please send it again') {
    super(400, 'MALFORMED_MULTIPART', message);
  }
}

/** A text field of a form over its limit: refused, never cut. */
export class FieldTooLargeError extends AppError {
  constructor(field: string, maxBytes: number) {
    super(413, 'FIELD_TOO_LARGE', `The field "${field}" is larger than ${Math.floor(maxBytes / 1024)} KB`);
  }
}

export class ImageCorruptError extends AppError {
  constructor(message = 'The photo is damaged or incomplete: please send it again') {
    super(422, 'IMAGE_CORRUPT', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, message = 'Too many requests: try again later') {
    super(429, 'TOO_MANY_REQUESTS', message, { 'retry-after': String(retryAfterSeconds) });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'The service is temporarily unavailable: try again shortly', code = 'SERVICE_UNAVAILABLE') {
    super(503, code, message, { 'retry-after': '5' });
  }
}
