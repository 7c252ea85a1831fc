// The diagnosis look-up (SPEC "Outcomes and learning"): ICD-10 codes that dermatology uses, by code or title,
// for the opinion and outcome forms to complete from. Anyone signed in, trainees too (their own opinions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { codeIndex } from '../codes/code-search.js';
import { ICD10_CM_RELEASE, ICD10_DERMATOLOGY } from '../codes/icd10-dermatology.js';
import { BadRequestError } from '../errors.js';

const LOOKUP_SYSTEM = 'icd10' as const;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

const CodeQuerySchema = Type.Object(
  {
    system: Type.String({ minLength: 1, maxLength: 32, description: `The code system: ${LOOKUP_SYSTEM} (the only one looked up so far)` }),
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      description: "The start of a code, with or without its dot ('L40.', 'l400'), or words of its title, each the start of a word, in any case, accents optional ('psoria', 'cafe au lait')",
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
  },
  { additionalProperties: false },
);

const CodeListSchema = Type.Object({
  items: Type.Array(Type.Object({ code: Type.String(), text: Type.String({ description: "The code's title" }), system: Type.Literal(LOOKUP_SYSTEM) }), {
    description: 'Best first: the exact code, then codes that start with it, then titles (those that start with the words first)',
  }),
});

const icd10 = codeIndex(ICD10_DERMATOLOGY);

const codeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/codes',
    {
      // Trainees too: they give opinions of their own on teaching cases.
      config: { trainees: true },
      schema: {
        operationId: 'searchCodes',
        tags: ['codes'],
        summary: 'Look up diagnosis codes',
        description: `The ICD-10 codes dermatology uses (${ICD10_DERMATOLOGY.length} codes of ${ICD10_CM_RELEASE}, public domain: chapter L, the skin infections of chapters A and B, skin neoplasms C43-C44 and D03-D23, Q80-Q84 and a few others). A code not listed is still a valid one, and free text stays possible.`,
        querystring: CodeQuerySchema,
        response: { 200: CodeListSchema },
      },
    },
    async (request) => {
      const { system, q, limit = DEFAULT_LIMIT } = request.query;
      if (system !== LOOKUP_SYSTEM) throw new BadRequestError(`querystring/system: only ${LOOKUP_SYSTEM} codes can be looked up`, 'VALIDATION_ERROR');
      return { items: icd10.search(q, limit).map(({ code, text }) => ({ code, text, system: LOOKUP_SYSTEM })) };
    },
  );
};

export default codeRoutes;
