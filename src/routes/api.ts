// Everything under /api/v1, as one encapsulated plugin. Its hooks belong to its routes, not to a URL
// prefix: authentication runs for every route registered here however the request spelled the path,
// public routes say so in their config, and every answer (photos and errors included) is `no-store`,
// since clinic computers are shared. Each route names its operation and, in the OpenAPI document, gains
// the errors every route of its kind can give.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { authenticate, routeAdmits } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';
import accountRoutes from './accounts.js';
import auditRoutes from './audit.js';
import authRoutes from './auth.js';
import caseRoutes from './cases.js';
import codeRoutes from './codes.js';
import eventRoutes from './events.js';
import fhirRoutes from './fhir.js';
import followUpLinkRoutes from './follow-up-links.js';
import outcomeRoutes from './outcomes.js';
import queueRoutes from './queues.js';
import reportRoutes from './report.js';
import reviewRoutes from './review.js';
import siteRoutes from './sites.js';
import statsRoutes from './stats.js';
import teachingRoutes from './teaching.js';
import userRoutes from './users.js';
import webhookRoutes from './webhooks.js';

export const API_PREFIX = '/api/v1';

/**
 * The errors any route of this kind can answer, whatever its handler does: a shed request or an
 * unavailable database or store (503), no token (401), the wrong role (403, or 404 for a trainee), input
 * that fails its schema (400), an unknown id (404), a body too large or of another type (413, 415).
 */
function commonErrors(route: RouteOptions): number[] {
  const schema = route.schema ?? {};
  const codes = new Set([503]);
  if (route.config?.public !== true) codes.add(401);
  if (route.config?.roles) codes.add(403);
  // A trainee on a staff route: 404 where it names a resource, 403 elsewhere (src/plugins/auth.ts).
  if (route.config?.public !== true && !routeAdmits(route.config ?? {}, 'trainee')) codes.add(schema.params ? 404 : 403);
  if (schema.params) codes.add(400).add(404);
  if (schema.querystring) codes.add(400);
  if (schema.body) codes.add(400).add(413).add(415);
  if (schema.multipart) codes.add(400).add(413).add(415).add(422);
  return [...codes];
}

export default async function apiRoutes(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (!route.schema?.operationId) throw new Error(`${String(route.method)} ${route.url} has no operationId in its schema`);
    route.schema = {
      ...route.schema,
      // The OpenAPI document says which routes need a token, from the same flag the hook reads.
      security: route.config?.public === true ? [] : [{ bearer: [] }],
      response: { ...errorResponses(...commonErrors(route)), ...(route.schema.response as object | undefined) },
    };
  });
  // Before authentication, which reads sessions: a 503 while the database is out of reach, not a 401.
  app.addHook('onRequest', () => app.databaseReady());
  app.addHook('onRequest', authenticate(app));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  await app.register(authRoutes);
  await app.register(accountRoutes);
  await app.register(userRoutes);
  await app.register(siteRoutes);
  await app.register(queueRoutes);
  await app.register(auditRoutes);
  await app.register(caseRoutes);
  await app.register(reviewRoutes);
  await app.register(codeRoutes);
  await app.register(outcomeRoutes);
  await app.register(statsRoutes);
  await app.register(teachingRoutes);
  await app.register(fhirRoutes);
  await app.register(reportRoutes);
  await app.register(followUpLinkRoutes);
  await app.register(eventRoutes);
  await app.register(webhookRoutes);
}
