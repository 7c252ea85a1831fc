// GET /api/v1/cases/:id/fhir: the case as a FHIR R4 Bundle, for hospital systems. Same access and blinding as
// GET /api/v1/cases/:id.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { caseToFhirBundle } from '../fhir/case-bundle.js';
import { caseBodyFor, loadReadableCase } from './case-loader.js';
import { contentResponse, errorResponses, IdParamsSchema } from '../schemas/common.js';

const fhirRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cases/:id/fhir',
    {
      schema: {
        operationId: 'getCaseFhir',
        tags: ['cases'],
        summary: 'The case as a FHIR R4 Bundle (ServiceRequest, Task, Patient without identifying data, Media, DiagnosticReport)',
        params: IdParamsSchema,
        response: {
          200: contentResponse('application/fhir+json', Type.Object({ resourceType: Type.Literal('Bundle') }, { additionalProperties: true }), 'A FHIR R4 Bundle of type collection'),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request, reply) => {
      const found = await loadReadableCase(app, request, request.params.id);
      const body = await caseBodyFor(app, request, found);
      await app.audit(request, { action: 'case.read_fhir', targetType: 'case', targetId: found.id, caseId: found.id });
      const bundle = caseToFhirBundle(body, { photoUrl: (photoId) => `${app.config.publicUrl}/api/v1/photos/${photoId}`, now: app.clock.now() });
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(bundle));
    },
  );
};

export default fhirRoutes;
