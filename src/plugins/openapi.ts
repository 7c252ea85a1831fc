// The OpenAPI 3 document at /docs/json (and its viewer at /docs), generated from the route schemas. It must
// lint with no error in Redocly and describe every answer the service can give, so that clients and the
// route tests (test/helpers/contract.ts) can hold it to its word:
//   - the server is PUBLIC_URL; every operation needs the bearer token unless it says `security: []`;
//   - multipart uploads describe their form fields: a route declares them as `schema.multipart`, which
//     becomes the document's request body only (Fastify would otherwise validate the parsed body);
//   - the /api/v1 plugin adds to every route the errors any route of its kind can give (routes/api.ts).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TSchema } from 'typebox';
import { ErrorSchema } from '../schemas/common.js';

interface FieldSchema {
  type?: string;
  items?: { format?: string };
}

interface MediaType {
  schema?: { properties?: Record<string, FieldSchema> };
  encoding?: Record<string, { contentType: string }>;
}

declare module 'fastify' {
  interface FastifySchema {
    /** The fields of a multipart/form-data body, for the OpenAPI document alone. */
    multipart?: TSchema;
  }
}

export default fp(
  async function openapi(app: FastifyInstance) {
    app.addSchema(ErrorSchema);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Teledermatology consultation API',
          description: 'De-identified clinical photos, specialist queues, blinded collective diagnosis.',
          version: '2.0.0',
          license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
        },
        servers: [{ url: app.config.publicUrl, description: 'This service (PUBLIC_URL)' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/auth/login' } } },
        security: [{ bearer: [] }],
        tags: [
          { name: 'auth', description: 'Sign-in and the signed-in user' },
          { name: 'users', description: 'User administration' },
          { name: 'sites', description: 'Referring clinics and hospitals' },
          { name: 'queues', description: 'Specialist queues' },
          { name: 'cases', description: 'Cases and their photos' },
          { name: 'photos', description: 'Photo bytes' },
          { name: 'review', description: 'Claims, opinions and discussion' },
          { name: 'codes', description: 'Diagnosis code look-up' },
          { name: 'follow-up', description: 'Follow-up links and the patient page' },
          { name: 'teaching', description: 'The teaching collection and what trainees learn from it' },
          { name: 'stats', description: 'Turnaround and agreement' },
          { name: 'audit', description: 'The audit trail' },
          { name: 'health', description: 'Liveness and readiness probes' },
        ],
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
      transform: ({ schema, url }) => {
        if (!schema?.multipart) return { schema, url };
        const { multipart, ...rest } = schema;
        return { schema: { ...rest, body: multipart, consumes: ['multipart/form-data'] }, url };
      },
      // A form field that holds JSON (a case, a list of kinds) says so, so that its schema reads as that JSON's.
      transformObject: (document) => {
        if (!('openapiObject' in document)) return document.swaggerObject;
        const { openapiObject } = document;
        for (const methods of Object.values(openapiObject.paths ?? {})) {
          for (const operation of Object.values(methods as unknown as Record<string, { requestBody?: { content?: Record<string, MediaType> } }>)) {
            const form = operation.requestBody?.content?.['multipart/form-data'];
            if (!form?.schema?.properties) continue;
            const jsonFields = Object.entries(form.schema.properties).filter(([, field]) => field.type === 'object' || (field.type === 'array' && field.items?.format !== 'binary'));
            if (jsonFields.length > 0) form.encoding = Object.fromEntries(jsonFields.map(([name]) => [name, { contentType: 'application/json' }]));
          }
        }
        return openapiObject;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: (header) => header });
  },
  { name: 'openapi', dependencies: ['app-context'] },
);
