// Schemas shared by several routes. Each route file declares its own bodies next to the handler.
import { Type, type Static } from 'typebox';

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

export const RoleSchema = Type.Enum(['admin', 'clinician', 'reviewer']);
export const SiteTierSchema = Type.Enum(['primary', 'secondary', 'tertiary']);
export const QueueSlugSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', minLength: 1, maxLength: 63 });
export const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParamsSchema = Type.Object({ id: IdSchema });

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  siteId: Type.Union([Type.String(), Type.Null()]),
  queues: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserBody = Static<typeof UserSchema>;

export const SiteSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tier: SiteTierSchema,
  createdAt: Type.String({ format: 'date-time' }),
});

/** Error responses for the codes a route can give, referenced by the shared Error schema. */
export function errorResponses(...codes: number[]) {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('Error')]));
}

/** A response whose body is not JSON (a photo, a page, a FHIR Bundle), for the OpenAPI document. */
export function contentResponse(mediaType: string, schema: object, description: string) {
  return { description, content: { [mediaType]: { schema } } };
}

export const BINARY = { type: 'string', format: 'binary' } as const;

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
