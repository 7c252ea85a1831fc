// Third-party Fastify plugins, configured in one place: load shedding, security headers, rate limiting,
// multipart (the OpenAPI document has its own: openapi.ts).
import { getHeapStatistics } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { AppError, TooManyRequestsError } from '../errors.js';
import { MAX_FIELD_BYTES } from '../photos/upload.js';

export interface PressureLimits {
  /** Mean event-loop delay (ms) over one sample above which requests are shed. */
  maxEventLoopDelay: number;
  /** V8 heap in use above which requests are shed (JS heap only: image buffers live outside it). */
  maxHeapUsedBytes: number;
  sampleInterval: number;
  retryAfterSeconds: number;
}

// The photo work runs on libuv threads and the HEIC worker, so the event loop stays responsive even
// with every core busy encoding (the benchmark's 16 concurrent uploads keep its delay in the tens of
// ms). A loop stalled for a whole second, or a heap near V8's limit, means the process is in trouble:
// shedding new requests then beats letting every request time out or the process die.
const DEFAULT_PRESSURE: Omit<PressureLimits, 'maxEventLoopDelay'> = {
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.85),
  sampleInterval: 1000,
  retryAfterSeconds: 10,
};

/**
 * Whether a pressure reading sheds the request. under-pressure reports an event-loop delay of Infinity
 * when its histogram caught no sample in a whole sample interval: the loop was busy for about that long,
 * which says the delay went over the limit only when the limit is no longer than the interval. (Taken at
 * face value, one 1.5 s stall shed requests under a 60 s limit.)
 */
export function shedsRequest(type: string, value: number | undefined, limits: Pick<PressureLimits, 'maxEventLoopDelay' | 'sampleInterval'>): boolean {
  if (type === 'eventLoopDelay' && value === Number.POSITIVE_INFINITY) return limits.maxEventLoopDelay <= limits.sampleInterval;
  return true;
}

/** Probes must answer while the process lives, overloaded or not. */
const EXEMPT_FROM_PRESSURE = new Set(['/healthz', '/readyz']);

export default fp<{ pressure?: Partial<PressureLimits> }>(
  async function externalPlugins(app: FastifyInstance, options) {
    const pressure = { ...DEFAULT_PRESSURE, maxEventLoopDelay: app.config.overloadEventLoopDelayMs, ...options.pressure };
    await app.register(underPressure, {
      maxEventLoopDelay: pressure.maxEventLoopDelay,
      maxHeapUsedBytes: pressure.maxHeapUsedBytes,
      sampleInterval: pressure.sampleInterval,
      retryAfter: pressure.retryAfterSeconds,
      // A rejected promise reaches the one error handler, so the 503 has the usual body shape.
      pressureHandler: (request, _reply, type, value) => {
        if (EXEMPT_FROM_PRESSURE.has(request.routeOptions.url ?? '')) return undefined;
        if (!shedsRequest(type, value, pressure)) return undefined;
        request.log.warn({ pressure: type }, 'overloaded: request shed');
        return Promise.reject(
          new AppError(503, 'OVERLOADED', 'The service is overloaded: please try again shortly', { 'retry-after': String(pressure.retryAfterSeconds) }),
        );
      },
    });

    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'blob:', 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Clinics may run it on plain HTTP inside their own network; TLS is the proxy's business.
          upgradeInsecureRequests: null,
        },
      },
      // Photos are fetched by the app's own pages only.
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
    });

    // Only routes that ask for it (login, follow-up links) are limited.
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => new TooManyRequestsError(Math.ceil(context.ttl / 1000)),
    });

    await app.register(multipart, {
      limits: {
        // A file part past it fails with FST_REQ_FILE_TOO_LARGE (413) rather than arriving cut short.
        fileSize: app.config.maxUploadBytes,
        files: app.config.maxPhotosPerRequest,
        fields: 10,
        fieldSize: MAX_FIELD_BYTES,
        parts: app.config.maxPhotosPerRequest + 10,
      },
      throwFileSizeLimit: true,
    });

  },
  { name: 'external-plugins', dependencies: ['app-context'] },
);
