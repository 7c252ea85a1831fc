// The referrer records what a case turned out to be (a biopsy's result, or the course of the disease), so that
// the panel's answer can be measured against it (src/cases/concordance.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isReferrer } from '../cases/access.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { currentUser } from '../plugins/auth.js';
import { DiagnosisSchema, OutcomeSchema } from '../schemas/cases.js';
import { errorResponses, IdParamsSchema } from '../schemas/common.js';
import { toOutcomeBody } from '../schemas/views.js';
import { OUTCOME_KINDS, type Diagnosis } from '../vocabulary.js';
import { loadReadableCase } from './case-loader.js';
import { plainText } from './plain-text.js';

const NOTES_MAX_LENGTH = 5000;

const OutcomeInputSchema = Type.Object(
  {
    kind: Type.Enum(OUTCOME_KINDS, { description: "'histology': a biopsy's result; 'clinical': the course of the disease (response to treatment)" }),
    diagnosis: DiagnosisSchema,
    notes: Type.Optional(Type.String({ maxLength: NOTES_MAX_LENGTH, description: 'Trimmed, blank for none; no control characters but line breaks and tabs' })),
  },
  { additionalProperties: false },
);

const outcomeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cases/:id/outcome',
    {
      schema: {
        operationId: 'recordCaseOutcome',
        tags: ['cases'],
        summary: "The referrer records the case's confirmed outcome (histology or the clinical course); recording again replaces it",
        description:
          'Once the case is answered or closed (409 CASE_NOT_ANSWERED before). 201 the first time, 200 when it replaces the outcome recorded before. ' +
          "The diagnosis's text is trimmed and must not be blank; a code given without a system is taken as ICD-10. " +
          'Anyone but the referrer gets 404, those who may read the case too (its reviewers, admins), as for adding photos.',
        params: IdParamsSchema,
        body: OutcomeInputSchema,
        response: { 200: OutcomeSchema, 201: OutcomeSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const found = await loadReadableCase(app, request, request.params.id);
      if (!isReferrer(user, found)) throw new NotFoundError('Case not found');
      const { kind, diagnosis, notes } = request.body;
      const text = plainText(diagnosis.text, { field: 'diagnosis/text', maxLength: 300, multiline: false });
      if (text === null) throw new BadRequestError('diagnosis/text must not be blank', 'VALIDATION_ERROR');
      const code = diagnosis.code?.trim();
      const confirmed: Diagnosis = { text, ...(code ? { code, system: diagnosis.system ?? 'icd10' } : {}) };
      const { replaced } = await app.repos.outcomes.record(
        found.id,
        { kind, diagnosis: confirmed, notes: plainText(notes, { field: 'notes', maxLength: NOTES_MAX_LENGTH, multiline: true }) },
        user.id,
      );
      await app.audit(request, { action: 'case.outcome', targetType: 'case', targetId: found.id, caseId: found.id, detail: { kind, coded: Boolean(code), replaced } });
      const saved = await app.repos.outcomes.find(found.id);
      return reply.code(replaced ? 200 : 201).send(toOutcomeBody(saved!));
    },
  );
};

export default outcomeRoutes;
