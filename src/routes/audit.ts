// The audit trail, newest first, for admins.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { errorResponses, IdSchema, isoTime } from './schemas.js';

const AuditQuerySchema = Type.Object(
  {
    caseId: Type.Optional(IdSchema),
    actor: Type.Optional(IdSchema),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_.]+$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  },
  { additionalProperties: false },
);

const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
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

export default async function auditRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Static<typeof AuditQuerySchema> }>(
    '/audit',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: AuditQuerySchema,
        response: {
          200: Type.Object({ items: Type.Array(AuditEventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { caseId, actor, action, limit = 100, cursor } = request.query;
      const page = await app.repos.audit.list({ caseId, actor, action, limit, cursor: cursor === undefined ? undefined : Number(cursor) });
      return {
        items: page.items.map((e) => ({ ...e, at: isoTime(e.at) })),
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      };
    },
  );
}
