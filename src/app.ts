// buildApp(config): the whole service as a Fastify instance, used by src/server.ts and by the tests.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { loggerOptions } from './logger.js';
import appContext from './plugins/app-context.js';
import auth from './plugins/auth.js';
import errorHandler from './plugins/error-handler.js';
import externalPlugins from './plugins/external.js';
import auditRoutes from './routes/audit.js';
import authRoutes from './routes/auth.js';
import caseRoutes from './routes/cases.js';
import fhirRoutes from './routes/fhir.js';
import followUpRoutes from './routes/follow-up.js';
import followUpLinkRoutes from './routes/follow-up-links.js';
import healthRoutes from './routes/health.js';
import queueRoutes from './routes/queues.js';
import reviewRoutes from './routes/review.js';
import siteRoutes from './routes/sites.js';
import statsRoutes from './routes/stats.js';
import userRoutes from './routes/users.js';
import webRoutes from './routes/web.js';
import type { ObjectStore } from './storage/object-store.js';

export interface BuildOptions {
  /** A pino logger instance or options; defaults to pino at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** An already-open object store (tests that need to break it). */
  store?: ObjectStore;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? loggerOptions(config.logLevel) }),
    // Random request ids: sequential ones would reveal traffic volume.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandler);
  await app.register(appContext, { config, store: options.store });
  await app.register(externalPlugins);
  await app.register(auth);

  await app.register(healthRoutes);
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
  await app.register(followUpRoutes);
  await app.register(webRoutes);

  await app.ready();
  await bootstrap(app.repos, config, app.log);
  return app;
}
