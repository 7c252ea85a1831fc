// Everything under /api/v1, as one encapsulated plugin. Its hooks belong to its routes, not to a URL
// prefix: authentication runs for every route registered here however the request spelled the path,
// public routes say so in their config, and every answer (photos and errors included) is `no-store`,
// since clinic computers are shared.
import type { FastifyInstance } from 'fastify';
import { authenticate } from '../plugins/auth.js';
import auditRoutes from './audit.js';
import authRoutes from './auth.js';
import caseRoutes from './cases.js';
import fhirRoutes from './fhir.js';
import followUpLinkRoutes from './follow-up-links.js';
import queueRoutes from './queues.js';
import reviewRoutes from './review.js';
import siteRoutes from './sites.js';
import statsRoutes from './stats.js';
import userRoutes from './users.js';

export const API_PREFIX = '/api/v1';

export default async function apiRoutes(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    // The OpenAPI document says which routes need a token, from the same flag the hook reads.
    route.schema = { ...route.schema, security: route.config?.public === true ? [] : [{ bearer: [] }] };
  });
  app.addHook('onRequest', authenticate(app));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(siteRoutes);
  await app.register(queueRoutes);
  await app.register(auditRoutes);
  await app.register(caseRoutes);
  await app.register(reviewRoutes);
  await app.register(statsRoutes);
  await app.register(fhirRoutes);
  await app.register(followUpLinkRoutes);
}
