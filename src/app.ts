// buildApp(config): the whole service as a Fastify instance, used by src/server.ts and by the tests.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { DatabaseUnavailableError } from './db/errors.js';
import { loggerOptions } from './logger.js';
import { jpegToolPath } from './photos/jpeg-tools.js';
import appContext from './plugins/app-context.js';
import auth from './plugins/auth.js';
import errorHandler, { frameworkErrors } from './plugins/error-handler.js';
import externalPlugins from './plugins/external.js';
import openapi from './plugins/openapi.js';
import notifications, { type NotificationOptions } from './plugins/notifications.js';
import periodicJobs from './plugins/periodic-jobs.js';
import serverTiming from './plugins/server-timing.js';
import clientGone from './plugins/client-gone.js';
import idleConnections, { checkEveryMs } from './plugins/idle-connections.js';
import { schemaController } from './plugins/validation.js';
import webAssets from './plugins/web-assets.js';
import apiRoutes, { API_PREFIX } from './routes/api.js';
import accountPages from './routes/account-pages.js';
import followUpRoutes from './routes/follow-up.js';
import healthRoutes from './routes/health.js';
import webRoutes from './routes/web.js';
import type { ObjectStore } from './storage/object-store.js';
import type { PressureLimits } from './plugins/external.js';

export interface BuildOptions {
  /** A pino logger instance or options; defaults to pino at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** An already-open object store (tests that need to break it). */
  store?: ObjectStore;
  /** Overload thresholds (@fastify/under-pressure); tests lower them to provoke a 503. */
  pressure?: Partial<PressureLimits>;
  /** Leave out the periodic orphan-object sweep (tests that count objects themselves). */
  skipOrphanSweep?: boolean;
  /** Human-readable log lines (a terminal) instead of JSON. */
  prettyLogs?: boolean;
  /** Where "now" comes from; tests pass a clock they move forward instead of sleeping. */
  clock?: Clock;
  /** The web's sources (src/web unless a test builds from a copy). */
  webRoot?: string;
  /** Timings of the event streams, the dispatcher and webhook deliveries (tests shorten them). */
  notifications?: NotificationOptions;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? loggerOptions(config.logLevel, { pretty: options.prettyLogs }) }),
    // Random request ids: sequential ones would reveal traffic volume.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Headers must all arrive within the idle time (Node checks at this interval); bodies and idle
    // keep-alive connections are watched by plugins/idle-connections.ts.
    http: { headersTimeout: config.connectionIdleSeconds * 1000, connectionsCheckingInterval: checkEveryMs(config.connectionIdleSeconds * 1000) },
    keepAliveTimeout: config.connectionIdleSeconds * 1000,
    schemaController: schemaController(),
    frameworkErrors,
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(serverTiming);
  await app.register(clientGone);
  await app.register(errorHandler);
  await app.register(webAssets, { root: options.webRoot });
  await app.register(appContext, { config, store: options.store, clock: options.clock ?? systemClock });
  await app.register(externalPlugins, { pressure: options.pressure });
  await app.register(openapi);
  await app.register(idleConnections);
  await app.register(auth);
  await app.register(notifications, options.notifications ?? {});
  await app.register(periodicJobs, { skipOrphanSweep: options.skipOrphanSweep });

  await app.register(healthRoutes);
  await app.register(apiRoutes, { prefix: API_PREFIX });
  await app.register(followUpRoutes);
  await app.register(accountPages);
  await app.register(webRoutes);

  await app.ready();
  // PostgreSQL down at start: the service still starts, answers 503 DATABASE_UNAVAILABLE (and /readyz
  // 503) and gets ready on a later request once the server is back.
  await app.databaseReady().catch((err: unknown) => {
    if (!(err instanceof DatabaseUnavailableError)) throw err;
    app.log.warn('the database cannot be reached: starting anyway, answering 503 until it can');
  });
  const missingTools = (['djpeg', 'cjpeg', 'jpegtran'] as const).filter((tool) => !jpegToolPath(tool));
  if (missingTools.length > 0) {
    const reach = [
      missingTools.some((tool) => tool !== 'jpegtran') && 'JPEGs larger than 2048 px are re-encoded',
      missingTools.includes('jpegtran') && 'JPEGs that need turning upright are re-encoded',
    ].filter(Boolean).join(', ');
    app.log.warn(`${missingTools.join(' and ')} not found: ${reach} (apt-get install libjpeg-turbo-progs for the lossless path)`);
  }
  return app;
}
