// Loads a case for the current user, or answers 404 when they may not see it (never 403: ids cannot be probed).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canReadCase, canReadTeachingCase } from '../cases/access.js';
import { NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import type { CaseRow } from '../repositories/cases.js';
import type { CaseBody } from '../schemas/cases.js';
import { toCaseBody, type CaseDetails } from '../schemas/views.js';

export async function loadReadableCase(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<CaseRow> {
  const user = currentUser(request);
  const found = await app.repos.cases.findById(caseId);
  if (!found || !canReadCase(user, found)) throw new NotFoundError('Case not found');
  return found;
}

/** The case whose photo is asked for: whoever reads the case reads its photos, and a trainee those of a teaching case. */
export async function loadPhotoCase(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<CaseRow> {
  const user = currentUser(request);
  const found = await app.repos.cases.findById(caseId);
  if (!found || !(canReadCase(user, found) || canReadTeachingCase(user, found))) throw new NotFoundError('Case not found');
  return found;
}

/** Everything a case is read with, before any blinding: toCaseBody decides what the reader sees. */
export async function loadCaseDetails(app: FastifyInstance, c: CaseRow): Promise<CaseDetails> {
  const [referrerName, photos, opinions, messages, timeline, outcome, teaching] = await Promise.all([
    app.repos.cases.referrerName(c.referrerId),
    app.repos.cases.photos(c.id),
    app.repos.cases.opinions(c.id),
    app.repos.cases.messages(c.id),
    app.repos.cases.timeline(c.id),
    app.repos.outcomes.find(c.id),
    app.repos.teaching.membership(c),
  ]);
  return { referrerName, photos, opinions, messages, timeline, outcome, teaching };
}

/** The full case as the current user may see it (opinions blinded). */
export async function caseBodyFor(app: FastifyInstance, request: FastifyRequest, c: CaseRow): Promise<CaseBody> {
  return toCaseBody(currentUser(request), c, await loadCaseDetails(app, c), app.clock.now());
}
