// Reads a multipart photo upload: text fields, and each `photos` file part streamed under the size limit
// and sanitized as soon as it has arrived (the next part streams in while sharp works on this one).
// The client's file name and part content type are ignored: the bytes decide.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { BadRequestError } from '../errors.js';
import { sanitizePhoto, type PhotoLimits, type SanitizedPhoto } from './pipeline.js';
import { readLimited } from './receive.js';

export interface UploadLimits extends PhotoLimits {
  maxBytes: number;
}

/** The configured limits every photo upload runs under. */
export function uploadLimitsOf(config: Pick<Config, 'maxUploadBytes' | 'maxPixels'>): UploadLimits {
  return { maxBytes: config.maxUploadBytes, maxPixels: config.maxPixels };
}

export interface PhotoUpload {
  fields: Record<string, string>;
  photos: SanitizedPhoto[];
}

export async function readPhotoUpload(request: FastifyRequest, limits: UploadLimits, allowedFields: readonly string[]): Promise<PhotoUpload> {
  if (!request.isMultipart()) throw new BadRequestError('The request must be multipart/form-data with photo files', 'VALIDATION_ERROR');
  const fields: Record<string, string> = {};
  const pending: Promise<SanitizedPhoto>[] = [];
  let firstError: unknown = null;

  // After the first error the rest of the body is still read and discarded, so the client gets the
  // error response instead of a reset connection.
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (firstError !== null || part.fieldname !== 'photos') {
        firstError ??= new BadRequestError(`Unexpected file field "${part.fieldname}": photos go in "photos"`, 'VALIDATION_ERROR');
        part.file.resume();
        continue;
      }
      try {
        const received = await readLimited(part.file, limits.maxBytes);
        const sanitized = sanitizePhoto(received.buffer, limits);
        sanitized.catch(() => undefined); // settled below; never an unhandled rejection
        pending.push(sanitized);
      } catch (err) {
        firstError = err;
      }
    } else if (firstError === null) {
      if (!allowedFields.includes(part.fieldname)) {
        firstError = new BadRequestError(`Unexpected field "${part.fieldname}"`, 'VALIDATION_ERROR');
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  }

  request.phases.lap('receive');
  const results = await Promise.allSettled(pending);
  request.phases.lap('sanitize');
  if (firstError !== null) throw firstError;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { fields, photos: results.map((r) => (r as PromiseFulfilledResult<SanitizedPhoto>).value) };
}
