// Liveness (the process runs) and readiness (the database and the object store answer).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const ReadinessSchema = Type.Object({
  status: Type.Enum(['ok', 'unavailable']),
  database: Type.Boolean(),
  objectStore: Type.Boolean(),
});

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { operationId: 'getLiveness', tags: ['health'], summary: 'The process is running', security: [], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        security: [],
        tags: ['health'],
        summary: 'The database and the object store answer',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      let database = false;
      try {
        // Migrated and seeded (PostgreSQL may have been out of reach at start), then answering now.
        await app.databaseReady();
        await app.repos.ping();
        database = true;
      } catch {
        database = false;
      }
      const objectStore = await app.store.ping();
      const ready = database && objectStore;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', database, objectStore });
    },
  );
};

export default healthRoutes;
