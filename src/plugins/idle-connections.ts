// Closes connections whose client has, in effect, stopped sending: those that give fewer than
// MIN_BYTES in CONNECTION_IDLE_SECONDS (30 by default) while the service waits for them (headers or body still to come, or nothing
// asked since the last answer). A byte every few seconds holds a socket and its memory for ever at no
// cost to whoever sends it, so it counts as nothing; while the service works on a request whose body
// has all arrived (a slow decode, a queue) the client owes nothing, and the clock does not run. A real
// upload, even over 2G (a few KB a second), moves far more than this and is never cut.
import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const MIN_BYTES = 512;

interface Watched {
  /** The request whose answer is being made, or null between requests. */
  request: IncomingMessage | null;
  windowStart: number;
  bytesAtWindowStart: number;
}

/** How often connections are looked at: a sixth of the idle time, so one is closed within 7/6 of it. */
export const checkEveryMs = (idleMs: number) => Math.max(100, Math.round(idleMs / 6));

export default fp(
  async function idleConnections(app: FastifyInstance) {
    const watched = new Map<Socket, Watched>();
    const server = app.server;
    const idleMs = app.config.connectionIdleSeconds * 1000;
    // Sockets go idle in real time, as Node's own timers see it: Date.now(), not the service's clock.

    server.on('connection', (socket: Socket) => {
      watched.set(socket, { request: null, windowStart: Date.now(), bytesAtWindowStart: 0 });
      socket.once('close', () => watched.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response) => {
      const entry = watched.get(request.socket);
      if (!entry) return;
      entry.request = request;
      response.once('close', () => {
        if (entry.request !== request) return;
        entry.request = null;
        entry.windowStart = Date.now();
        entry.bytesAtWindowStart = request.socket.bytesRead;
      });
    });

    const timer = setInterval(() => {
      const now = Date.now();
      for (const [socket, entry] of watched) {
        const waitingOnClient = entry.request === null || !entry.request.complete;
        if (!waitingOnClient) {
          // The service owes the next move: the client's clock starts again when it is their turn.
          entry.windowStart = now;
          entry.bytesAtWindowStart = socket.bytesRead;
          continue;
        }
        if (now - entry.windowStart < idleMs) continue;
        if (socket.bytesRead - entry.bytesAtWindowStart < MIN_BYTES) {
          socket.destroy();
          watched.delete(socket);
          continue;
        }
        entry.windowStart = now;
        entry.bytesAtWindowStart = socket.bytesRead;
      }
    }, checkEveryMs(idleMs));
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'idle-connections', dependencies: ['app-context'] },
);
