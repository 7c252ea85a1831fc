// Where an HTTP request meets the photo pipeline: the route's multipart form, its client-gone signal, its
// phase timer and its logger, handed to src/photos, which knows nothing of Fastify.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors.js';
import type { StoreContext } from '../photos/store-photos.js';
import { readPhotoUpload, uploadLimitsOf, type PhotoUpload, type UploadOptions } from '../photos/upload.js';
import type { VariantContext } from '../photos/variants.js';

/** Reads and sanitizes the photos (and the text fields) of this request's multipart form. */
export async function receivePhotos(app: FastifyInstance, request: FastifyRequest, options: Omit<UploadOptions, 'limits'>): Promise<PhotoUpload> {
  if (!request.isMultipart()) throw new BadRequestError('The request must be multipart/form-data with photo files', 'VALIDATION_ERROR');
  return readPhotoUpload(request.parts(), { limits: uploadLimitsOf(app.config), ...options }, { clientGone: request.clientGone, timer: request.phases });
}

/** What storing this request's photos needs: the object store, and its log and timer. */
export function storeContext(app: FastifyInstance, request: FastifyRequest): StoreContext {
  return { store: app.store, log: request.log, timer: request.phases };
}

/** What reading a photo's variant needs: storing a display copy made on first request, under the photo limits. */
export function variantContext(app: FastifyInstance, request: FastifyRequest): VariantContext {
  return {
    ...storeContext(app, request),
    limits: uploadLimitsOf(app.config),
    recordDisplayCopy: (photoId, key, bytes) => app.repos.cases.setDisplayCopy(photoId, key, bytes),
  };
}
