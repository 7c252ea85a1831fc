// Reads the parts of a photo upload form: text fields, and each `photos` file part received under the
// size limit and sanitized as soon as it has arrived (the next part streams in while sharp works on this
// one). The client's file name and part content type are ignored: the bytes decide.
// The first failure ends the upload: photos not yet started are never decoded, those under way stop at
// their next step, and so does everything when the client goes away.
// Nothing here knows about HTTP: the route hands in the form's parts, a signal and a phase timer.
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { AppError, BadRequestError, FieldTooLargeError, FileTooLargeError, MalformedMultipartError } from '../errors.js';
import { sanitizePhoto, type PhotoLimits, type SanitizedPhoto } from './pipeline.js';

export interface UploadLimits extends PhotoLimits {
  maxBytes: number;
  /** Bytes of a text field; a longer one is refused with 413 FIELD_TOO_LARGE. */
  maxFieldBytes: number;
}

/** The configured limits every photo upload runs under. */
export function uploadLimitsOf(config: Pick<Config, 'maxUploadBytes' | 'maxPixels' | 'maxDecodeSeconds' | 'photoMemoryBytes'>): UploadLimits {
  return {
    maxBytes: config.maxUploadBytes,
    maxPixels: config.maxPixels,
    maxDecodeSeconds: config.maxDecodeSeconds,
    memoryBytes: config.photoMemoryBytes,
    maxFieldBytes: MAX_FIELD_BYTES,
  };
}

/** @fastify/multipart's fieldSize limit (src/plugins/external.ts): a field that reaches it was cut. */
export const MAX_FIELD_BYTES = 64 * 1024;

/**
 * A part of a multipart form, as @fastify/multipart yields it: only what the upload reads. A file part's
 * toBuffer() throws FST_REQ_FILE_TOO_LARGE past the parser's fileSize limit (the upload limit).
 */
export type FormPart =
  | { type: 'file'; fieldname: string; file: Readable; toBuffer(): Promise<Buffer> }
  | { type: 'field'; fieldname: string; value: unknown; valueTruncated: boolean };

/** Marks the end of a phase of the request (the Server-Timing header). */
export interface PhaseTimer {
  lap(phase: string): void;
}

export interface UploadContext {
  /** Aborts when the client goes away: everything for this upload stops. */
  clientGone: AbortSignal;
  timer: PhaseTimer;
}

export interface PhotoUpload {
  fields: Record<string, string>;
  photos: SanitizedPhoto[];
}

export interface UploadOptions {
  limits: UploadLimits;
  /** Text fields the route takes; any other is a 400. */
  allowedFields: readonly string[];
  /**
   * At most this many photos (a follow-up link's allowance): the photo after the last allowed one
   * ends the upload with `tooMany()` before it, or anything after it, is decoded.
   */
  maxPhotos?: { count: number; tooMany: () => Error };
}

/**
 * What a failure while reading the form means to the client. The multipart plugin's own errors
 * (FST_*: limits, prototype names) and ours keep their codes; anything else the form parser throws
 * (no or bad boundary, a cut-off part, garbage) is a malformed body, not a server fault.
 */
function asFormError(error: unknown, limits: UploadLimits): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new FileTooLargeError(limits.maxBytes);
  if (typeof code === 'string' && code.startsWith('FST_')) return error;
  return new MalformedMultipartError();
}

/** A file part's bytes, refused past the size limit (by the parser) and when empty. */
async function receiveFile(part: { toBuffer(): Promise<Buffer> }): Promise<Buffer> {
  const bytes = await part.toBuffer();
  if (bytes.length === 0) throw new BadRequestError('The file is empty', 'EMPTY_FILE');
  return bytes;
}

export async function readPhotoUpload(parts: AsyncIterable<FormPart>, options: UploadOptions, { clientGone, timer }: UploadContext): Promise<PhotoUpload> {
  const { limits, allowedFields, maxPhotos } = options;
  const fields: Record<string, string> = {};
  const pending: Promise<SanitizedPhoto>[] = [];
  const stop = new AbortController();
  const signal = AbortSignal.any([clientGone, stop.signal]);
  // Set from callbacks: typed so that TypeScript does not narrow it to null where it is read.
  let firstError = null as Error | null;
  const fail = (error: unknown) => {
    if (firstError !== null) return;
    const reason: unknown = clientGone.aborted ? clientGone.reason : error;
    firstError = reason instanceof Error ? reason : new Error(String(reason));
    stop.abort(firstError);
  };
  const failForm = (error: unknown) => fail(asFormError(error, limits));

  // After the first error the rest of the body is still read and discarded, so the client gets the
  // error response instead of a reset connection.
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        if (firstError !== null) {
          part.file.resume();
          continue;
        }
        if (part.fieldname !== 'photos') {
          fail(new BadRequestError(`Unexpected file field "${part.fieldname}": photos go in "photos"`, 'VALIDATION_ERROR'));
          part.file.resume();
          continue;
        }
        if (maxPhotos && pending.length >= maxPhotos.count) {
          fail(maxPhotos.tooMany());
          part.file.resume();
          continue;
        }
        let received: Buffer;
        try {
          received = await receiveFile(part);
        } catch (err) {
          failForm(err);
          continue;
        }
        const sanitized = sanitizePhoto(received, limits, signal);
        sanitized.catch(fail); // the first failure stops the others; all are settled below
        pending.push(sanitized);
      } else if (firstError === null) {
        if (!allowedFields.includes(part.fieldname)) fail(new BadRequestError(`Unexpected field "${part.fieldname}"`, 'VALIDATION_ERROR'));
        else if (part.valueTruncated) fail(new FieldTooLargeError(part.fieldname, limits.maxFieldBytes));
        else fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    failForm(err);
  }

  timer.lap('receive');
  const results = await Promise.allSettled(pending);
  timer.lap('sanitize');
  if (firstError !== null) throw firstError;
  clientGone.throwIfAborted();
  return { fields, photos: results.map((r) => (r as PromiseFulfilledResult<SanitizedPhoto>).value) };
}
