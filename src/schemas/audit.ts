// Audit events in responses.
import { Type, type Static } from 'typebox';
import { DateTimeSchema } from './common.js';

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: DateTimeSchema,
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  caseId: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEventBody = Static<typeof AuditEventSchema>;
