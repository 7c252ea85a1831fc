// Specialist queues: the list with its load (any user), creation (admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ConflictError } from '../errors.js';
import { errorResponses, QueueSlugSchema } from '../schemas/common.js';
import { QueueSchema } from '../schemas/queues.js';

const CreateQueueSchema = Type.Object(
  {
    slug: QueueSlugSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 2 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/queues',
    {
      schema: {
        operationId: 'listQueues',
        tags: ['queues'],
        summary: 'Specialist queues with open cases and the oldest waiting',
        response: { 200: Type.Array(QueueSchema), ...errorResponses(401) },
      },
    },
    async () => app.repos.queues.listWithLoad(app.clock.now()),
  );

  app.post(
    '/queues',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'createQueue',
        tags: ['queues'],
        summary: 'Create a queue',
        body: CreateQueueSchema,
        response: { 201: QueueSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { slug, name, quorum = 2, description = '' } = request.body;
      if (await app.repos.queues.findBySlug(slug)) throw new ConflictError('A queue with this slug already exists', 'QUEUE_EXISTS');
      const queue = await app.repos.queues.create({ slug, name, quorum, description });
      await app.audit(request, { action: 'queue.create', targetType: 'queue', targetId: slug });
      return reply.code(201).send({ ...queue, open: 0, reviewers: 0, oldestWaitingMinutes: null });
    },
  );
};

export default queueRoutes;
