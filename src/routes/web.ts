// The clinicians' and reviewers' web app: static files from src/web/public, no build step, no CDN.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance } from 'fastify';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/public');

export default async function webRoutes(app: FastifyInstance) {
  // The file server refuses paths with dot segments or NUL bytes with 403 and 400; to the client they
  // are files that do not exist, like any other path that reaches no route.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.statusCode === 403 || error.statusCode === 400) return reply.callNotFound();
    throw error;
  });
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    index: ['index.html'],
    // The pages are small and change with each release; revalidate rather than cache blindly.
    cacheControl: true,
    maxAge: 0,
    etag: true,
    schemaHide: true,
  });
}
