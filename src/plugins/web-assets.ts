// The web's files, built at start (src/web/assets.ts) and known to every route that names them. Sources that
// do not build fail the start here, before anything is opened, rather than a broken app being served.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { buildWebAssets, type WebAssets } from '../web/assets.js';

declare module 'fastify' {
  interface FastifyInstance {
    webAssets: WebAssets;
  }
}

export default fp<{ root?: string }>(
  async function webAssets(app: FastifyInstance, { root }) {
    const assets = await buildWebAssets(root);
    app.decorate('webAssets', assets);
    // Compressed ahead of the first visitor once the server listens. The many apps that tests build and reach
    // through supertest or inject never listen: they compress only what they ask for (brotli at quality 11 for
    // every file would cost each test process a quarter to half a second of a core).
    app.addHook('onListen', async () => assets.precompress());
  },
  { name: 'web-assets' },
);
