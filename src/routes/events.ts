// GET /api/v1/events: the signed-in user's live events as Server-Sent Events (src/notifications/live-events.ts).
// The stream is written by hand after Fastify lets go of the response (hijack), so it sets its own headers.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ServiceUnavailableError } from '../errors.js';
import { responseSubscriber } from '../notifications/live-events.js';
import { currentUser } from '../plugins/auth.js';
import { contentResponse, errorResponses } from '../schemas/common.js';

/** Streams one user may hold open at once (tabs, devices); a new one beyond this ends their oldest. */
const STREAMS_PER_USER = 5;
/** Streams per instance; beyond it a new one is refused 503 and the client tries again later. */
const STREAMS_PER_INSTANCE = 2000;
/** How often a stream checks that its session still holds (sign-out, a disabled account, a new role). */
const SESSION_CHECK_MS = 60_000;
/** What an EventSource waits before reconnecting. */
const RETRY_MS = 3000;

const EventIdSchema = Type.String({ pattern: '^[0-9]{1,15}$', description: 'The id of the last event received: the stream resumes after it' });

const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        operationId: 'streamEvents',
        tags: ['notifications'],
        summary: 'Live events for the signed-in user (Server-Sent Events)',
        description:
          'Events: case.created, case.updated, message.created, photos.added, queue.counts; each with an id. Reconnect with the Last-Event-ID header (or ?lastEventId=) to receive what was missed. What an event carries follows the same blinding as the case itself.',
        querystring: Type.Object({ lastEventId: Type.Optional(EventIdSchema) }, { additionalProperties: false }),
        headers: Type.Object({ 'last-event-id': Type.Optional(EventIdSchema) }),
        response: { 200: contentResponse('text/event-stream', { type: 'string' }, 'An endless stream of events'), ...errorResponses(401, 503) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const live = app.notifier.live;
      if (live.size >= STREAMS_PER_INSTANCE) throw new ServiceUnavailableError('Too many live connections: try again shortly', 'TOO_MANY_STREAMS');
      const newest = await app.repos.outbox.lastSeq();
      const asked = request.headers['last-event-id'] ?? request.query.lastEventId;
      // An id from the future (another database, a typo) resumes from now.
      const after = asked === undefined ? newest : Math.min(Number(asked), newest);
      const oldestKept = asked === undefined ? null : await app.repos.outbox.firstSeq();
      for (const old of live.of(user.id).slice(0, Math.max(0, live.of(user.id).length - STREAMS_PER_USER + 1))) live.drop(old);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // Proxies (nginx) must pass events on as they come, not buffer them.
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        'x-content-type-options': 'nosniff',
      });
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      // Events older than those kept are gone: the client should reload what it shows.
      if (oldestKept !== null && after < oldestKept - 1) res.write(`id: ${after}\nevent: resync\ndata: {}\n\n`);

      const tokenHash = request.sessionTokenHash!;
      const sub = responseSubscriber(res, { id: user.id, role: user.role, queues: user.queues }, tokenHash, after);
      const sessionCheck = setInterval(() => {
        app.repos.users
          .findBySession(tokenHash)
          .then((now) => {
            if (!now || now.disabled) live.drop(sub);
            else sub.viewer = { id: now.id, role: now.role, queues: now.queues };
          })
          .catch(() => undefined);
      }, SESSION_CHECK_MS);
      sessionCheck.unref();
      res.once('close', () => {
        clearInterval(sessionCheck);
        live.unsubscribe(sub);
      });
      await live.subscribe(sub).catch((err: unknown) => {
        request.log.warn({ err: { message: (err as Error).message } }, 'event stream could not start');
        live.drop(sub);
      });
    },
  );
};

export default eventRoutes;
