// Referring sites (clinics, hospitals), admin only.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Site } from '../repositories/sites.js';
import { errorResponses, isoTime, SiteSchema, SiteTierSchema } from './schemas.js';

const CreateSiteSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), tier: SiteTierSchema },
  { additionalProperties: false },
);

function toSiteBody(site: Site) {
  return { id: site.id, name: site.name, tier: site.tier, createdAt: isoTime(site.createdAt) };
}

export default async function siteRoutes(app: FastifyInstance) {
  app.post<{ Body: Static<typeof CreateSiteSchema> }>(
    '/sites',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'createSite',
        tags: ['sites'],
        summary: 'Create a site',
        body: CreateSiteSchema,
        response: { 201: SiteSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const site = await app.repos.sites.create(request.body);
      await app.audit(request, { action: 'site.create', targetType: 'site', targetId: site.id });
      return reply.code(201).send(toSiteBody(site));
    },
  );

  app.get(
    '/sites',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'listSites',
        tags: ['sites'],
        summary: 'List sites',
        response: { 200: Type.Array(SiteSchema), ...errorResponses(401, 403) },
      },
    },
    async () => (await app.repos.sites.list()).map(toSiteBody),
  );
}
