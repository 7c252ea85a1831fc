// The only file that listens: reads the configuration, starts the app, and closes it gracefully on a signal.
import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';

async function main() {
  // Everything the service writes (database, photos, its socket) is for its own user alone.
  process.umask(0o077);
  const config = loadConfigOrExit();

  // A person at a terminal reads plain lines; a log collector reads JSON.
  const app = await buildApp(config, { prettyLogs: process.stdout.isTTY === true });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // Fastify stops accepting connections and waits for in-flight requests before onClose hooks run.
    const forced = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    forced.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
