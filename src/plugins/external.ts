// Third-party Fastify plugins, configured in one place: security headers, rate limiting, multipart, OpenAPI.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TooManyRequestsError } from '../errors.js';
import { ErrorSchema } from '../routes/schemas.js';

export default fp(
  async function externalPlugins(app: FastifyInstance) {
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
        // One byte over the limit, so that readLimited sees the excess and answers 413 instead of a silent truncation.
        fileSize: app.config.maxUploadBytes + 1,
        files: app.config.maxPhotosPerRequest,
        fields: 10,
        fieldSize: 64 * 1024,
        parts: app.config.maxPhotosPerRequest + 10,
      },
      throwFileSizeLimit: true,
    });

    app.addSchema(ErrorSchema);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Teledermatology consultation API',
          description: 'De-identified clinical photos, specialist queues, blinded collective diagnosis.',
          version: '1.0.0',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: (header) => header });
  },
  { name: 'external-plugins', dependencies: ['app-context'] },
);
