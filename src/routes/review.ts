// The specialist review workflow over HTTP: claim the next case of a queue, release it, give a blinded
// opinion, discuss, reroute, close. Who may do what is decided here; what happens to the case is decided
// by the state machine in src/cases/lifecycle.ts, applied atomically by the reviews repository.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isReferrer, reviewsQueue } from '../cases/access.js';
import { CONSENSUS_OUTCOMES } from '../cases/consensus.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import type { CaseRow } from '../repositories/cases.js';
import type { StatusChange } from '../repositories/reviews.js';
import { toOwnMessageBody } from '../schemas/views.js';
import { caseBodyFor, loadReadableCase } from './case-loader.js';
import { CaseSchema, DiagnosisSchema, MESSAGE_MAX_LENGTH, MessageSchema } from '../schemas/cases.js';
import { CaseStatusSchema, ConfidenceSchema, DispositionSchema, DateTimeSchema, errorResponses, IdParamsSchema, isoTime, QueueSlugSchema } from '../schemas/common.js';
import { plainText } from './plain-text.js';

const SlugParamsSchema = Type.Object({ slug: QueueSlugSchema });

export const OpinionInputSchema = Type.Object(
  {
    diagnosis: DiagnosisSchema,
    differential: Type.Optional(Type.Array(DiagnosisSchema, { maxItems: 10, default: [] })),
    confidence: ConfidenceSchema,
    management: Type.String({ maxLength: 5000 }),
    disposition: DispositionSchema,
  },
  { additionalProperties: false },
);

const OpinionCreatedSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  status: CaseStatusSchema,
  outcome: Type.Enum(CONSENSUS_OUTCOMES, { description: 'Consensus after this opinion' }),
  createdAt: DateTimeSchema,
});

const MessageInputSchema = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH, description: 'Trimmed; not blank; no control characters but line breaks and tabs' }),
    requestInfo: Type.Optional(Type.Boolean({ description: 'A reviewer asks the referrer for information: the case waits (needs_info)' })),
  },
  { additionalProperties: false },
);

const MessageCreatedSchema = Type.Object({ ...MessageSchema.properties, caseStatus: CaseStatusSchema });

const RerouteInputSchema = Type.Object({ queue: QueueSlugSchema }, { additionalProperties: false });

const ClaimedCaseSchema = Type.Object({
  ...CaseSchema.properties,
  claim: Type.Object({ expiresAt: DateTimeSchema }),
});

const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function auditStatus(request: FastifyRequest, caseId: string, change: StatusChange | null) {
    if (change) await app.audit(request, { action: 'case.status', targetType: 'case', targetId: caseId, caseId, detail: { ...change } });
  }

  /** A reviewer acts on a case only in their own queues; a case elsewhere is as good as absent (404). */
  async function loadForReviewer(request: FastifyRequest, caseId: string): Promise<CaseRow> {
    const c = await loadReadableCase(app, request, caseId);
    if (!reviewsQueue(currentUser(request), c.queueSlug)) throw new NotFoundError('Case not found');
    return c;
  }

  app.post(
    '/queues/:slug/claim',
    {
      config: { roles: ['reviewer'] },
      schema: {
        operationId: 'claimNextCase',
        tags: ['review'],
        summary: 'Claim the next case of one of your queues: urgent first, then soon, then routine; oldest first',
        description:
          'A claim is a lease that lapses back to the queue (CLAIM_LEASE_MINUTES). 204 when nothing is waiting for you. ' +
          'A queue you do not review answers 404.',
        params: SlugParamsSchema,
        response: { 200: ClaimedCaseSchema, 204: Type.Null({ description: 'Nothing waiting for you' }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      // Unknown and foreign queues look the same, so a reviewer learns nothing about queues not theirs.
      if (!reviewsQueue(user, request.params.slug)) throw new NotFoundError('Queue not found');
      const result = await app.repos.reviews.claimNext(request.params.slug, user.id, app.config.claimLeaseMs);
      await app.repos.audit.recordLapsedClaims(result.lapsed);
      if (!result.case) return reply.code(204).send(null);
      await app.audit(request, {
        action: 'case.claim',
        targetType: 'case',
        targetId: result.case.id,
        caseId: result.case.id,
        detail: { queue: request.params.slug, expiresAt: result.expiresAt },
      });
      await auditStatus(request, result.case.id, result.change);
      const body = await caseBodyFor(app, request, result.case);
      return { ...body, claim: { expiresAt: isoTime(result.expiresAt) } };
    },
  );

  app.post(
    '/cases/:id/release',
    {
      config: { roles: ['reviewer'] },
      schema: {
        operationId: 'releaseCase',
        tags: ['review'],
        summary: 'Give up your claim on a case: it goes back to the queue',
        params: IdParamsSchema,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await loadForReviewer(request, request.params.id);
      const result = await app.repos.reviews.release(c.id, user.id);
      await app.repos.audit.recordLapsedClaims(result.lapsed);
      await app.audit(request, { action: 'case.release', targetType: 'case', targetId: c.id, caseId: c.id });
      await auditStatus(request, c.id, result.change);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/cases/:id/opinions',
    {
      config: { roles: ['reviewer'] },
      schema: {
        operationId: 'giveOpinion',
        tags: ['review'],
        summary: 'Give your independent opinion on a case you hold a claim on',
        description: 'May complete the quorum: the case becomes answered (the opinions agree) or disputed (one tie-breaking opinion more).',
        params: IdParamsSchema,
        body: OpinionInputSchema,
        response: { 201: OpinionCreatedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await loadForReviewer(request, request.params.id);
      const { diagnosis, differential = [], confidence, management, disposition } = request.body;
      const result = await app.repos.reviews.addOpinion(c.id, user.id, { diagnosis, differential, confidence, management, disposition });
      await app.repos.audit.recordLapsedClaims(result.lapsed);
      await app.audit(request, {
        action: 'case.opinion',
        targetType: 'opinion',
        targetId: result.opinionId,
        caseId: c.id,
        detail: { outcome: result.outcome },
      });
      await auditStatus(request, c.id, result.change);
      return reply.code(201).send({
        id: result.opinionId,
        caseId: c.id,
        status: result.case.status,
        outcome: result.outcome,
        createdAt: isoTime(result.case.updatedAt),
      });
    },
  );

  app.post(
    '/cases/:id/messages',
    {
      schema: {
        operationId: 'postMessage',
        tags: ['review'],
        summary: "Post to the case's discussion (referrer, reviewers of its queue)",
        description: "`requestInfo: true` (reviewers) sets needs_info and releases every claim; the referrer's reply returns a needs_info case to the queue.",
        params: IdParamsSchema,
        body: MessageInputSchema,
        response: { 201: MessageCreatedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const c = await loadReadableCase(app, request, request.params.id);
      const referrer = isReferrer(user, c);
      const reviewer = reviewsQueue(user, c.queueSlug);
      // Admins read every case but are not part of the clinical discussion.
      if (!referrer && !reviewer) throw new ForbiddenError('Only the referrer and the reviewers of its queue take part in the discussion');
      const requestInfo = request.body.requestInfo === true;
      if (requestInfo && !reviewer) throw new ForbiddenError('Only a reviewer of its queue can ask the referrer for information');
      // The same rule as a reply sent with photos: trimmed, bounded, no control characters but line breaks and tabs.
      const body = plainText(request.body.body, { field: 'body/body', maxLength: MESSAGE_MAX_LENGTH, multiline: true });
      if (body === null) throw new BadRequestError('body/body must not be blank', 'VALIDATION_ERROR');
      const result = await app.repos.reviews.addMessage(c.id, { id: user.id, isReferrer: referrer }, body, requestInfo);
      await app.audit(request, { action: 'case.message', targetType: 'message', targetId: result.message.id, caseId: c.id, detail: { requestInfo } });
      await auditStatus(request, c.id, result.change);
      return reply.code(201).send({ ...toOwnMessageBody(result.message, { id: user.id, name: user.name }), caseStatus: result.case.status });
    },
  );

  app.post(
    '/cases/:id/reroute',
    {
      config: { roles: ['reviewer', 'admin'] },
      schema: {
        operationId: 'rerouteCase',
        tags: ['review'],
        summary: 'Move a case to another queue (reviewers of its queue, admins): it waits there afresh',
        params: IdParamsSchema,
        body: RerouteInputSchema,
        response: { 200: CaseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const c = user.role === 'admin' ? await loadReadableCase(app, request, request.params.id) : await loadForReviewer(request, request.params.id);
      if (!(await app.repos.queues.findBySlug(request.body.queue))) throw new BadRequestError(`queue names an unknown queue: ${request.body.queue}`, 'VALIDATION_ERROR');
      const result = await app.repos.reviews.reroute(c.id, request.body.queue, { type: 'user', id: user.id });
      await app.audit(request, { action: 'case.reroute', targetType: 'case', targetId: c.id, caseId: c.id, detail: { from: result.fromQueue, to: request.body.queue } });
      await auditStatus(request, c.id, result.change);
      return caseBodyFor(app, request, result.case);
    },
  );

  app.post(
    '/cases/:id/close',
    {
      config: { roles: ['clinician', 'admin'] },
      schema: {
        operationId: 'closeCase',
        tags: ['review'],
        summary: 'Close a case (its referrer, admins): final, claims released',
        params: IdParamsSchema,
        response: { 200: CaseSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const c = await loadReadableCase(app, request, request.params.id);
      if (user.role !== 'admin' && !isReferrer(user, c)) throw new NotFoundError('Case not found');
      const result = await app.repos.reviews.close(c.id, { type: 'user', id: user.id });
      await app.audit(request, { action: 'case.close', targetType: 'case', targetId: c.id, caseId: c.id });
      await auditStatus(request, c.id, result.change);
      return caseBodyFor(app, request, result.case);
    },
  );
};

export default reviewRoutes;
