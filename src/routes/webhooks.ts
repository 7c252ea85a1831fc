// Webhooks (admin): a clinic's own systems hear of events by signed POSTs (src/notifications/webhooks.ts).
// The secret is taken once and never shown again; the delivery log says what reached the receiver.
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../errors.js';
import { checkWebhookUrl } from '../notifications/webhooks.js';
import { currentUser } from '../plugins/auth.js';
import type { DeliveryRow, WebhookRow } from '../repositories/notifications.js';
import { DateTimeSchema, errorResponses, IdParamsSchema, isoTime } from '../schemas/common.js';
import { EVENT_TYPES, type EventType } from '../vocabulary.js';

const EventTypeSchema = Type.Enum(EVENT_TYPES);

const CreateWebhookSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http:// or https://; private and loopback addresses are allowed, this service itself is not' }),
    events: Type.Array(EventTypeSchema, { minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true }),
    secret: Type.String({ minLength: 16, maxLength: 256, description: 'Signs every delivery (HMAC-SHA256); never shown again' }),
  },
  { additionalProperties: false },
);

const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(EventTypeSchema),
  createdAt: DateTimeSchema,
});

const DeliverySchema = Type.Object({
  id: Type.String(),
  eventId: Type.String({ description: 'The event number (also sent as X-Webhook-Id)' }),
  event: EventTypeSchema,
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  responseStatus: Type.Union([Type.Integer(), Type.Null()], { description: "The receiver's HTTP status on the last attempt" }),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: DateTimeSchema,
  lastAttemptAt: Type.Union([DateTimeSchema, Type.Null()]),
  nextAttemptAt: Type.Union([DateTimeSchema, Type.Null()]),
  deliveredAt: Type.Union([DateTimeSchema, Type.Null()]),
});

const toWebhookBody = (h: WebhookRow) => ({ id: h.id, url: h.url, events: h.events as EventType[], createdAt: isoTime(h.createdAt) });
const orNull = (ms: number | null) => (ms === null ? null : isoTime(ms));
const toDeliveryBody = (d: DeliveryRow) => ({
  id: d.id,
  eventId: String(d.eventSeq),
  event: d.eventType,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  error: d.lastError,
  durationMs: d.durationMs,
  createdAt: isoTime(d.createdAt),
  lastAttemptAt: orNull(d.lastAttemptAt),
  nextAttemptAt: d.status === 'pending' ? isoTime(d.nextAttemptAt) : null,
  deliveredAt: orNull(d.deliveredAt),
});

const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { roles: ['admin' as const] };

  app.post(
    '/webhooks',
    {
      config: admin,
      schema: {
        operationId: 'createWebhook',
        tags: ['notifications'],
        summary: 'Send events to a clinic system (signed POSTs, retried for 24 h)',
        body: CreateWebhookSchema,
        response: { 201: WebhookSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { url, events, secret } = request.body;
      const port = (app.server.address() as AddressInfo | null)?.port ?? app.config.port;
      const checked = await checkWebhookUrl(url, { port, publicUrl: app.config.publicUrl });
      const hook = await app.repos.notifications.createWebhook({ url: checked.href, events, secret, createdBy: currentUser(request).id }, app.clock.now());
      // The URL's host only: a path or query may carry a receiver's own key.
      await app.audit(request, { action: 'webhook.create', targetType: 'webhook', targetId: hook.id, detail: { host: checked.host, events } });
      return reply.code(201).send(toWebhookBody(hook));
    },
  );

  app.get(
    '/webhooks',
    {
      config: admin,
      schema: {
        operationId: 'listWebhooks',
        tags: ['notifications'],
        summary: 'Webhooks (without their secrets)',
        response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: (await app.repos.notifications.webhooks()).map(toWebhookBody) }),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: admin,
      schema: {
        operationId: 'deleteWebhook',
        tags: ['notifications'],
        summary: 'Stop sending to a webhook (its delivery log stays)',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await app.repos.notifications.deleteWebhook(request.params.id, app.clock.now()))) throw new NotFoundError('Webhook not found');
      await app.audit(request, { action: 'webhook.delete', targetType: 'webhook', targetId: request.params.id });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: admin,
      schema: {
        operationId: 'listWebhookDeliveries',
        tags: ['notifications'],
        summary: 'The delivery log of a webhook, newest first',
        params: IdParamsSchema,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(DeliverySchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      if (!(await app.repos.notifications.findWebhook(request.params.id))) throw new NotFoundError('Webhook not found');
      return { items: (await app.repos.notifications.deliveries(request.params.id, request.query.limit ?? 100)).map(toDeliveryBody) };
    },
  );
};

export default webhookRoutes;
