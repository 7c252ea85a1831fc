// The clinicians' and reviewers' web app: static files from src/web/public, no build step, no CDN.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/public');

export default async function webRoutes(app: FastifyInstance) {
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
