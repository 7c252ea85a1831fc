// Referring sites (clinics, hospitals), admin only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, SiteTierSchema } from '../schemas/common.js';
import { SiteSchema } from '../schemas/users.js';
import { toSiteBody } from '../schemas/views.js';

const CreateSiteSchema = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), tier: SiteTierSchema },
  { additionalProperties: false },
);

const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
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
};

export default siteRoutes;
