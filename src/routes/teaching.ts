// The teaching collection over HTTP: reviewers put answered, teaching-consented cases in it (and take them out);
// trainees list it, open its cases blinded, give their own opinion, then see the panel's, and follow their
// agreement over time. A trainee reads cases only here (src/cases/access.ts): every other case route is 404 to them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { canCurateTeaching, canReadTeachingCase } from '../cases/access.js';
import { learningOf, teachingRefusal } from '../cases/teaching.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import type { CaseRow } from '../repositories/cases.js';
import { TeachingMembershipSchema } from '../schemas/cases.js';
import { errorResponses, IdParamsSchema, pageOf } from '../schemas/common.js';
import { LearningSchema, TeachingCaseSchema, TeachingSummarySchema } from '../schemas/teaching.js';
import { toTeachingCaseBody, toTeachingSummary } from '../schemas/teaching-views.js';
import { toTeachingMembershipBody } from '../schemas/views.js';
import { loadReadableCase } from './case-loader.js';
import { OpinionInputSchema } from './review.js';

const ListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

const REFUSALS = {
  NOT_ANSWERED: () => new ConflictError('Only a case the panel has answered can join the teaching collection', 'CASE_NOT_ANSWERED'),
  NO_TEACHING_CONSENT: () => new ConflictError('The patient did not consent to teaching use of this case: it cannot join the teaching collection', 'NO_TEACHING_CONSENT'),
};

const teachingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** A case a reviewer of its queue (or an admin) may curate; any other is as good as absent (404). */
  async function loadForCurator(request: FastifyRequest, caseId: string): Promise<CaseRow> {
    const c = await loadReadableCase(app, request, caseId);
    if (!canCurateTeaching(currentUser(request), c)) throw new NotFoundError('Case not found');
    return c;
  }

  /** A case of the teaching collection, for a trainee; outside it, or removed from it, 404. */
  async function loadTeachingCase(request: FastifyRequest, caseId: string): Promise<CaseRow> {
    const c = await app.repos.cases.findById(caseId);
    if (!c || !canReadTeachingCase(currentUser(request), c)) throw new NotFoundError('Case not found');
    return c;
  }

  async function teachingCaseBody(c: CaseRow, traineeId: string) {
    const ownOpinion = await app.repos.teaching.ownOpinion(c.id, traineeId);
    // The panel is read only once the trainee may see it.
    const [photos, opinions, outcome] = await Promise.all([
      app.repos.cases.photos(c.id),
      ownOpinion ? app.repos.cases.opinions(c.id) : [],
      ownOpinion ? app.repos.teaching.outcome(c.id) : null,
    ]);
    return toTeachingCaseBody(c, { photos, ownOpinion, opinions, outcome });
  }

  app.post(
    '/cases/:id/teaching',
    {
      config: { roles: ['reviewer', 'admin'] },
      schema: {
        operationId: 'addToTeaching',
        tags: ['teaching'],
        summary: 'Put an answered case with teaching consent in the teaching collection (reviewers of its queue, admins)',
        description:
          '201 when added, 200 when it was already there. 409 CASE_NOT_ANSWERED before the panel has answered; ' +
          '409 NO_TEACHING_CONSENT when the patient did not consent to teaching.',
        params: IdParamsSchema,
        response: { 200: TeachingMembershipSchema, 201: TeachingMembershipSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await loadForCurator(request, request.params.id);
      const already = await app.repos.teaching.membership(c);
      if (already) return reply.code(200).send(toTeachingMembershipBody(already));
      const refusal = teachingRefusal(c);
      if (refusal) throw REFUSALS[refusal]();
      const added = await app.repos.teaching.add(c.id, user.id);
      const membership = await app.repos.teaching.membership((await app.repos.cases.findById(c.id))!);
      // Taken out again by someone else between the two statements: as if this request had come first.
      if (!membership) throw new ConflictError('The case changed while this request ran: try again', 'CONCURRENT_CHANGE');
      if (added) await app.audit(request, { action: 'teaching.add', targetType: 'case', targetId: c.id, caseId: c.id });
      return reply.code(added ? 201 : 200).send(toTeachingMembershipBody(membership));
    },
  );

  app.delete(
    '/cases/:id/teaching',
    {
      config: { roles: ['reviewer', 'admin'] },
      schema: {
        operationId: 'removeFromTeaching',
        tags: ['teaching'],
        summary: 'Take a case out of the teaching collection (reviewers of its queue, admins): trainees no longer open it',
        description: "204 whether or not it was there. The trainees' opinions on it stay in their own figures.",
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const c = await loadForCurator(request, request.params.id);
      if (await app.repos.teaching.remove(c.id)) await app.audit(request, { action: 'teaching.remove', targetType: 'case', targetId: c.id, caseId: c.id });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/teaching',
    {
      config: { roles: ['trainee'] },
      schema: {
        operationId: 'listTeachingCases',
        tags: ['teaching'],
        summary: 'The teaching collection (trainees), the case added last first, with whether you gave your opinion and agreed',
        querystring: ListQuerySchema,
        response: { 200: pageOf(TeachingSummarySchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { limit = 50, cursor } = request.query;
      const page = await app.repos.teaching.list(user.id, { limit, cursor });
      await app.audit(request, { action: 'teaching.list', detail: { count: page.items.length } });
      return { items: page.items.map(toTeachingSummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/teaching/:id',
    {
      config: { roles: ['trainee'] },
      schema: {
        operationId: 'getTeachingCase',
        tags: ['teaching'],
        summary: "A teaching case (trainees): clinical details and photos; the panel's opinions and the outcome once you have given yours",
        params: IdParamsSchema,
        response: { 200: TeachingCaseSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const c = await loadTeachingCase(request, request.params.id);
      await app.audit(request, { action: 'teaching.read', targetType: 'case', targetId: c.id, caseId: c.id });
      return teachingCaseBody(c, user.id);
    },
  );

  app.post(
    '/teaching/:id/opinion',
    {
      config: { roles: ['trainee'] },
      schema: {
        operationId: 'giveTeachingOpinion',
        tags: ['teaching'],
        summary: 'Give your own opinion on a teaching case (trainees), once: the answer is the case with the panel revealed',
        params: IdParamsSchema,
        body: OpinionInputSchema,
        response: { 201: TeachingCaseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await loadTeachingCase(request, request.params.id);
      if (await app.repos.teaching.ownOpinion(c.id, user.id)) throw new ConflictError('You have already given an opinion on this case', 'OPINION_EXISTS');
      const { diagnosis, differential = [], confidence, management, disposition } = request.body;
      const opinion = await app.repos.teaching.addOpinion(c.id, user.id, { diagnosis, differential, confidence, management, disposition });
      await app.audit(request, { action: 'teaching.opinion', targetType: 'trainee_opinion', targetId: opinion.id, caseId: c.id });
      return reply.code(201).send(await teachingCaseBody(c, user.id));
    },
  );

  app.get(
    '/me/learning',
    {
      config: { roles: ['trainee'] },
      schema: {
        operationId: 'getOwnLearning',
        tags: ['teaching'],
        summary: "Your agreement with the panels' consensus over time (trainees)",
        response: { 200: LearningSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => learningOf(await app.repos.teaching.opinionsWithConsensus(currentUser(request).id)),
  );
};

export default teachingRoutes;
