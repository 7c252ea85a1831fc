// The audit trail, newest first, for admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuditEventSchema } from '../schemas/audit.js';
import { errorResponses, IdSchema, isoTime, pageOf } from '../schemas/common.js';

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

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: AuditQuerySchema,
        response: {
          200: pageOf(AuditEventSchema),
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
};

export default auditRoutes;
