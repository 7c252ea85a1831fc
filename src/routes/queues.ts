// Specialist queues: the list with its load (any user), creation (admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deadlineHours } from '../cases/deadlines.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { errorResponses, QueueSlugSchema } from '../schemas/common.js';
import { DeadlineHoursInputSchema, QueueSchema } from '../schemas/queues.js';

const CreateQueueSchema = Type.Object(
  {
    slug: QueueSlugSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 2 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    deadlineHours: Type.Optional(DeadlineHoursInputSchema),
  },
  { additionalProperties: false },
);

const UpdateQueueSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    deadlineHours: Type.Optional(Type.Union([DeadlineHoursInputSchema, Type.Null()], { description: 'null: back to the defaults' })),
  },
  { additionalProperties: false, minProperties: 1 },
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
    async () => (await app.repos.queues.listWithLoad(app.clock.now())).map((q) => ({ ...q, deadlineHours: deadlineHours(q.deadlineHours) })),
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
      const { slug, name, quorum = 2, description = '', deadlineHours: targets = null } = request.body;
      if (await app.repos.queues.findBySlug(slug)) throw new ConflictError('A queue with this slug already exists', 'QUEUE_EXISTS');
      const queue = await app.repos.queues.create({ slug, name, quorum, description }, targets);
      await app.audit(request, { action: 'queue.create', targetType: 'queue', targetId: slug });
      return reply.code(201).send({ ...queue, open: 0, reviewers: 0, oldestWaitingMinutes: null, deadlineHours: deadlineHours(queue.deadlineHours) });
    },
  );

  app.patch(
    '/queues/:slug',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'updateQueue',
        tags: ['queues'],
        summary: "Rename a queue or set its deadlines (cases created afterwards get the new targets)",
        params: Type.Object({ slug: QueueSlugSchema }, { additionalProperties: false }),
        body: UpdateQueueSchema,
        response: { 200: QueueSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { slug } = request.params;
      if (!(await app.repos.queues.update(slug, request.body))) throw new NotFoundError('Queue not found');
      await app.audit(request, { action: 'queue.update', targetType: 'queue', targetId: slug, detail: { fields: Object.keys(request.body) } });
      const queue = (await app.repos.queues.listWithLoad(app.clock.now())).find((q) => q.slug === slug)!;
      return { ...queue, deadlineHours: deadlineHours(queue.deadlineHours) };
    },
  );
};

export default queueRoutes;
