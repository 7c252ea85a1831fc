// Turnaround statistics per queue for admins, and the reviewers' concordance with confirmed outcomes (each
// reviewer their own, admins everyone's); the definitions are in src/repositories/stats.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BadRequestError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import { errorResponses, isoTime } from '../schemas/common.js';
import { ConcordanceSchema, ReviewersConcordanceSchema, StatsSchema } from '../schemas/stats.js';

const DAY_MS = 24 * 3600_000;
const DEFAULT_PERIOD_MS = 30 * DAY_MS;
// Five years of weeks: enough for any chart a person reads, and a bounded answer.
const MAX_WEEKS = 260;

const StatsQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Start of the period (inclusive), ISO 8601, 2000-01-01 to 9999-12-31; default: 30 days before `to`' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'End of the period (exclusive), ISO 8601, 2000-01-01 to 9999-12-31; default: now' })),
    by: Type.Optional(Type.Literal('week', { description: `\`week\`: each queue also lists its weeks (Monday 00:00 UTC), for periods of at most ${MAX_WEEKS} weeks (${MAX_WEEKS * 7} days)` })),
  },
  { additionalProperties: false },
);

// The service keeps no record from before 2000 nor after 9999, and JavaScript dates end in 275760:
// anything outside is a mistake, and must be a 400 rather than a date that cannot be printed.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST) {
    throw new BadRequestError(`querystring/${field} must be a date-time between 2000-01-01 and 9999-12-31`, 'VALIDATION_ERROR');
  }
  return ms;
}

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stats',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'getStats',
        tags: ['stats'],
        summary: 'Turnaround, agreement and concordance with outcomes per queue, for cases created in [from, to)',
        querystring: StatsQuerySchema,
        response: { 200: StatsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const now = app.clock.now();
      const to = parseTime(request.query.to, 'to') ?? now;
      const from = parseTime(request.query.from, 'from') ?? Math.max(EARLIEST, to - DEFAULT_PERIOD_MS);
      if (from >= to) throw new BadRequestError('querystring/from must be before to', 'VALIDATION_ERROR');
      const byWeek = request.query.by === 'week';
      if (byWeek && to - from > MAX_WEEKS * 7 * DAY_MS) throw new BadRequestError(`querystring/by=week takes a period of at most ${MAX_WEEKS} weeks`, 'VALIDATION_ERROR');
      const queues = await app.repos.stats.perQueue(from, to, now);
      const weeks = byWeek ? await app.repos.stats.perQueueWeekly(from, to) : null;
      await app.audit(request, { action: 'stats.read', detail: { from, to, ...(byWeek ? { by: 'week' } : {}) } });
      return {
        from: isoTime(from),
        to: isoTime(to),
        queues: weeks ? queues.map((q) => ({ ...q, weeks: (weeks.get(q.slug) ?? []).map((w) => ({ ...w, start: isoTime(w.start) })) })) : queues,
      };
    },
  );

  app.get(
    '/stats/reviewers',
    {
      config: { roles: ['admin'] },
      schema: {
        operationId: 'getReviewerConcordance',
        tags: ['stats'],
        summary: "Every reviewer's opinions against the confirmed outcomes recorded since (all time)",
        response: { 200: ReviewersConcordanceSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const items = await app.repos.stats.reviewerConcordance();
      await app.audit(request, { action: 'stats.read', detail: { view: 'reviewers', count: items.length } });
      return { items };
    },
  );

  app.get(
    '/me/concordance',
    {
      // Only reviewers give opinions; a trainee's agreement is kept with their own opinions.
      config: { roles: ['reviewer'] },
      schema: {
        operationId: 'getMyConcordance',
        tags: ['stats'],
        summary: "The signed-in reviewer's own opinions against the confirmed outcomes recorded since (all time)",
        response: { 200: ConcordanceSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const [own] = await app.repos.stats.reviewerConcordance(currentUser(request).id);
      return { opinions: own?.opinions ?? 0, withOutcome: own?.withOutcome ?? 0, concordant: own?.concordant ?? 0, rate: own?.rate ?? null };
    },
  );
};

export default statsRoutes;
