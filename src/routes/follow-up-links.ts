// Follow-up links, the signed-in side: the referrer or a reviewer of the case's queue makes a link for the patient
// (the token is shown once and stored only as a hash), lists a case's links, and its creator or an admin revokes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isReferrer, reviewsQueue } from '../cases/access.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { hashToken, randomToken } from '../ids.js';
import { currentUser } from '../plugins/auth.js';
import { errorResponses, IdParamsSchema, isoTime } from '../schemas/common.js';
import { CreatedLinkSchema, LinkSchema } from '../schemas/follow-up-links.js';
import { LanguageSchema } from '../schemas/users.js';
import { toLinkBody } from '../schemas/views.js';
import { loadReadableCase } from './case-loader.js';

export const DEFAULT_EXPIRY_DAYS = 14;
export const MAX_EXPIRY_DAYS = 90;
export const DEFAULT_MAX_PHOTOS = 10;
export const MAX_MAX_PHOTOS = 50;
const DAY_MS = 24 * 3600_000;

export const CreateFollowUpLinkSchema = Type.Object(
  {
    expiresInDays: Type.Optional(
      Type.Number({
        // Fractions are allowed (0.5 = 12 hours), down to about a second.
        minimum: 0.00001,
        maximum: MAX_EXPIRY_DAYS,
        description: `Days until the link stops working (default ${DEFAULT_EXPIRY_DAYS}, at most ${MAX_EXPIRY_DAYS}; fractions allowed)`,
      }),
    ),
    maxPhotos: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_MAX_PHOTOS, description: `Photos the link accepts in all (default ${DEFAULT_MAX_PHOTOS})` }),
    ),
    language: Type.Optional(Type.Union([LanguageSchema, Type.Null()], { description: "The parent's language: the page opens in it (default null: the language of the browser that opens it)" })),
  },
  { additionalProperties: false },
);

const followUpLinkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/follow-up-links',
    {
      // Every field is optional, so an empty request is as good as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        operationId: 'createFollowUpLink',
        tags: ['follow-up'],
        summary: 'Make a link for the patient to send follow-up photos without an account (the token is shown once)',
        params: IdParamsSchema,
        body: CreateFollowUpLinkSchema,
        response: { 201: CreatedLinkSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const found = await loadReadableCase(app, request, request.params.id);
      // The referrer and the reviewers of the case's queue; anyone else (admins included) as if it were not there.
      if (!isReferrer(user, found) && !reviewsQueue(user, found.queueSlug)) throw new NotFoundError('Case not found');
      if (found.status === 'closed') throw new ConflictError('This case is closed: a follow-up link cannot be made for it', 'CASE_CLOSED');

      const { expiresInDays = DEFAULT_EXPIRY_DAYS, maxPhotos = DEFAULT_MAX_PHOTOS, language = null } = request.body ?? {};
      const token = randomToken();
      const link = await app.repos.followUpLinks.create({
        caseId: found.id,
        tokenHash: hashToken(token),
        createdBy: user.id,
        expiresAt: app.clock.now() + Math.round(expiresInDays * DAY_MS),
        maxPhotos,
        language,
      });
      await app.audit(request, {
        action: 'follow_up_link.create',
        targetType: 'follow_up_link',
        targetId: link.id,
        caseId: found.id,
        detail: { expiresAt: link.expiresAt, maxPhotos, language },
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ id: link.id, url: `${app.config.publicUrl}/f/${token}`, token, expiresAt: isoTime(link.expiresAt), maxPhotos: link.maxPhotos, language });
    },
  );

  app.get(
    '/cases/:id/follow-up-links',
    {
      schema: {
        operationId: 'listFollowUpLinks',
        tags: ['follow-up'],
        summary: "A case's follow-up links and their status (never their tokens)",
        params: IdParamsSchema,
        response: { 200: Type.Object({ items: Type.Array(LinkSchema) }), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const found = await loadReadableCase(app, request, request.params.id);
      const links = await app.repos.followUpLinks.listForCase(found.id);
      const now = app.clock.now();
      return { items: links.map((link) => toLinkBody(link, now)) };
    },
  );

  app.delete(
    '/follow-up-links/:id',
    {
      schema: {
        operationId: 'revokeFollowUpLink',
        tags: ['follow-up'],
        summary: 'Revoke a follow-up link at once (its creator or an admin)',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const link = await app.repos.followUpLinks.findById(request.params.id);
      if (!link || (link.createdBy !== user.id && user.role !== 'admin')) throw new NotFoundError('Follow-up link not found');
      await app.repos.followUpLinks.revoke(link.id);
      await app.audit(request, { action: 'follow_up_link.revoke', targetType: 'follow_up_link', targetId: link.id, caseId: link.caseId });
      return reply.code(204).send(null);
    },
  );
};

export default followUpLinkRoutes;
