// Referring sites (clinics, hospitals), admin only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../errors.js';
import type { SiteChanges } from '../repositories/sites.js';
import { errorResponses, IdParamsSchema, SiteTierSchema } from '../schemas/common.js';
import { SiteSchema } from '../schemas/users.js';
import { toSiteBody } from '../schemas/views.js';
import { plainText } from './plain-text.js';

const CONTACT_MAX_LENGTH = 200;

const SiteNameSchema = Type.String({ minLength: 1, maxLength: 200 });
const ContactSchema = Type.String({
  maxLength: CONTACT_MAX_LENGTH,
  description: `A phone number or an address, on one line (at most ${CONTACT_MAX_LENGTH} characters; trimmed, blank for none), that the follow-up page shows when a link no longer works`,
});

const CreateSiteSchema = Type.Object(
  { name: SiteNameSchema, tier: SiteTierSchema, contact: Type.Optional(Type.Union([ContactSchema, Type.Null()])) },
  { additionalProperties: false },
);

const UpdateSiteSchema = Type.Object(
  {
    name: Type.Optional(SiteNameSchema),
    tier: Type.Optional(SiteTierSchema),
    contact: Type.Optional(Type.Union([ContactSchema, Type.Null()], { description: 'null (or blank) clears it' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const contactOf = (raw: string | null | undefined) => plainText(raw, { field: 'body/contact', maxLength: CONTACT_MAX_LENGTH, multiline: false });

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
      const { name, tier, contact } = request.body;
      const site = await app.repos.sites.create({ name, tier, contact: contactOf(contact) });
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

  app.patch(
    '/sites/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'updateSite',
        tags: ['sites'],
        summary: "Change a site's name, tier or contact",
        params: IdParamsSchema,
        body: UpdateSiteSchema,
        response: { 200: SiteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { name, tier, contact } = request.body;
      const changes: SiteChanges = { name, tier, ...(contact !== undefined ? { contact: contactOf(contact) } : {}) };
      const site = await app.repos.sites.update(request.params.id, changes);
      if (!site) throw new NotFoundError('Site not found');
      await app.audit(request, { action: 'site.update', targetType: 'site', targetId: site.id, detail: { fields: Object.keys(request.body).sort() } });
      return toSiteBody(site);
    },
  );
};

export default siteRoutes;
