// The web's files as src/web/assets.ts built them: the app's page at / (revalidated on each load), and under
// /assets/ the app's bundle and the card pages' files by hashed names, cached for good. Bodies go brotli or gzip
// when the client takes them. Only built files exist here: no path reaches the disk.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { NotFoundError } from '../errors.js';
import { ASSET_PREFIX, type Asset, type Encoding } from '../web/assets.js';

/** Ours, most preferred first. */
const COMPRESSIONS = ['br', 'gzip'] as const;

/**
 * The encoding to send for an Accept-Encoding header: of br and gzip, the one it weighs highest (br on a tie),
 * never one it gives q=0 (also through `*;q=0`); identity when it takes neither. Refusing identity with 406 would
 * help nobody, so the last resort is always identity.
 */
function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, Number.isFinite(weight) ? weight : 0);
  }
  let best: Encoding = 'identity';
  let bestWeight = 0;
  for (const coding of COMPRESSIONS) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [coding, weight];
  }
  return best;
}

async function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  const encoding = asset.encodingFor(chooseEncoding(request.headers['accept-encoding']));
  reply.headers({ 'cache-control': asset.cacheControl, vary: 'accept-encoding', etag: asset.etag(encoding) });
  if (asset.heldBy(request.headers['if-none-match'])) return reply.code(304).send();
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.type(asset.type).send(await asset.body(encoding));
}

const webRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { page } = app.webAssets;
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, (request, reply) => sendAsset(request, reply, page));
  app.get('/index.html', hidden, (request, reply) => sendAsset(request, reply, page));
  app.get(`${ASSET_PREFIX}:name`, { schema: { hide: true, params: Type.Object({ name: Type.String() }) } }, async (request, reply) => {
    const asset = app.webAssets.file(request.params.name);
    if (!asset) throw new NotFoundError();
    return sendAsset(request, reply, asset);
  });
};

export default webRoutes;
