// Audit events in responses, and the filters GET /audit and GET /audit.csv share.
import { Type, type Static } from 'typebox';
import { DateTimeSchema, IdSchema } from './common.js';

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: DateTimeSchema,
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Nullable("The acting user's name; null when the actor is not a user"),
  actorEmail: Nullable("The acting user's email; null when the actor is not a user"),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Type.String(), Type.Null()]),
  caseRef: Nullable("The case's patientRef (the clinic's own reference, never a name); null without a case"),
  requestId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEventBody = Static<typeof AuditEventSchema>;

/** What selects events, for the list and the CSV export alike. */
export const AuditFilterProperties = {
  caseId: Type.Optional(IdSchema),
  actor: Type.Optional(IdSchema),
  action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_.]+$', description: 'Exactly this action, e.g. `auth.login`' })),
  from: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Events at or after this time (ISO 8601 date-time)' })),
  to: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'Events before this time (ISO 8601 date-time)' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Part of the acting user's name or email, any case; `%` and `_` are plain characters" })),
};
