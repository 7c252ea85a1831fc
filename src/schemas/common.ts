// Schemas every part of the API shares: the error shape, ids, the vocabularies as TypeBox enums, and the
// helpers that describe non-JSON answers in the OpenAPI document. Routes, the FHIR mapping and the plugins
// all take them from here; each route file keeps the bodies only it uses.
import { Type, type TSchema } from 'typebox';
import * as vocabulary from '../vocabulary.js';

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. NOT_FOUND, IMAGE_TOO_LARGE' }),
    error: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'Error', description: 'Every error has this shape' },
);

export const RoleSchema = Type.Enum(vocabulary.ROLES);
export const SiteTierSchema = Type.Enum(vocabulary.SITE_TIERS);
export const CaseStatusSchema = Type.Enum(vocabulary.CASE_STATUSES);
export const UrgencySchema = Type.Enum(vocabulary.URGENCIES);
export const SexSchema = Type.Enum(vocabulary.SEXES);
export const PhotoKindSchema = Type.Enum(vocabulary.PHOTO_KINDS);
export const ConfidenceSchema = Type.Enum(vocabulary.CONFIDENCES);
export const DispositionSchema = Type.Enum(vocabulary.DISPOSITIONS);
export const CodeSystemSchema = Type.Enum(vocabulary.CODE_SYSTEMS);
export const UploaderTypeSchema = Type.Enum(vocabulary.UPLOADER_TYPES);

export const QueueSlugSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', minLength: 1, maxLength: 63 });
export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParamsSchema = Type.Object({ id: IdSchema });
export const DateTimeSchema = Type.String({ format: 'date-time' });

/** One page of a list, with the cursor of the next page (null on the last). */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Error responses for the codes a route can give, referenced by the shared Error schema. */
export function errorResponses(...codes: number[]) {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('Error')]));
}

/** A response whose body is not JSON (a photo, a page, a FHIR Bundle), for the OpenAPI document. */
export function contentResponse(mediaType: string, schema: object, description: string) {
  return { description, content: { [mediaType]: { schema } } };
}

export const BINARY = { type: 'string', format: 'binary' } as const;

/** Every time in a response: ISO 8601 in UTC, from the epoch milliseconds the database keeps. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
