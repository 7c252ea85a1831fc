// Server-Timing on photo uploads: how long the bytes took to arrive, to sanitize, to store and to
// commit. Browser devtools show it, and scripts/bench.ts uses it to say where a request's time goes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Phases measured back to back: each lap ends the phase that the previous lap (or the request) started. */
export class PhaseTimer {
  private readonly laps: { name: string; ms: number }[] = [];
  private last = performance.now();

  lap(name: string): void {
    const now = performance.now();
    this.laps.push({ name, ms: now - this.last });
    this.last = now;
  }

  /** The header value, e.g. `receive;dur=12.3, sanitize;dur=140.1`; null when nothing was measured. */
  header(): string | null {
    return this.laps.length === 0 ? null : this.laps.map(({ name, ms }) => `${name};dur=${ms.toFixed(1)}`).join(', ');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    phases: PhaseTimer;
  }
}

export default fp(async function serverTiming(app: FastifyInstance) {
  app.decorateRequest('phases', null as unknown as PhaseTimer);
  app.addHook('onRequest', async (request) => {
    request.phases = new PhaseTimer();
  });
  app.addHook('onSend', async (request, reply) => {
    // Null when the request failed before onRequest ran (e.g. an unparsable URL).
    request.phases?.lap('send');
    const header = request.phases?.header();
    if (header) reply.header('server-timing', header);
  });
});
