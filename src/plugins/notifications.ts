// Notifications: the live event streams, email and webhooks, all fed by the outbox (src/repositories/outbox.ts).
// The dispatcher starts once the app is ready and stops before the database closes; open event streams end
// as the server begins to close, so that closing never waits for a browser tab.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDispatcher, type Dispatcher } from '../notifications/dispatcher.js';
import { createLiveEvents, type LiveEvents } from '../notifications/live-events.js';
import { createMailer, type Mailer } from '../notifications/mailer.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifier: { dispatcher: Dispatcher; live: LiveEvents; mailer: Mailer };
  }
}

export interface NotificationOptions {
  /** How often each instance reads the outbox for its event streams (ms). */
  livePollMs?: number;
  /** How often the dispatcher looks for work besides being woken by changes (ms). */
  dispatchEveryMs?: number;
  /** How long a webhook receiver gets to answer (ms). */
  deliveryTimeoutMs?: number;
}

export default fp<NotificationOptions>(
  async function notifications(app: FastifyInstance, options) {
    const mailer = createMailer(app.config, app.log);
    const live = createLiveEvents({ repos: app.repos, clock: app.clock, log: app.log, pollMs: options.livePollMs });
    const dispatcher = createDispatcher({
      database: app.database,
      repos: app.repos,
      mailer,
      clock: app.clock,
      publicUrl: app.config.publicUrl,
      log: app.log,
      everyMs: options.dispatchEveryMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs,
    });
    app.decorate('notifier', { dispatcher, live, mailer });
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('preClose', async () => live.close());
    app.addHook('onClose', async () => {
      await dispatcher.stop();
      mailer.close();
    });
  },
  { name: 'notifications', dependencies: ['app-context'] },
);
