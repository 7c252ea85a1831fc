// The OpenAPI document held to its word: every response a route test receives is checked against
// /docs/json. Its status must be declared for the operation, its media type must be one the status
// declares (or none, for a body-less status), and a JSON body must match the declared schema.
// Responses of paths the document does not describe (static files, /docs, unknown routes) are not checked.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components?: object;
}

interface Route {
  template: string;
  pattern: RegExp;
}

/** JSON Pointer escaping of one path segment. */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export function createContract(doc: OpenApiDocument) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi' });
  const validators = new Map<string, ValidateFunction>();
  // Literal segments before parameters, so that /cases/{id} does not shadow /cases/{id}/photos.
  const routes: Route[] = Object.keys(doc.paths)
    .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
    .sort((a, b) => b.template.split('/').length - a.template.split('/').length);

  function validatorFor(ref: string): ValidateFunction {
    let validate = validators.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      validators.set(ref, validate);
    }
    return validate;
  }

  return {
    /** A sentence naming what the response breaks, or null when it keeps the contract (or is not described). */
    check(method: string, url: string, status: number, contentType: string | undefined, body: unknown, rawBody: string | Buffer | undefined): string | null {
      const path = url.split('?')[0]!;
      const route = routes.find((r) => r.pattern.test(path));
      const operation = route && doc.paths[route.template]![method.toLowerCase()];
      if (!route || !operation) return null;
      const where = `${method} ${path} -> ${status}`;
      const declared = operation.responses?.[String(status)];
      if (!declared) return `${where}: status not declared (declared: ${Object.keys(operation.responses ?? {}).join(', ')})`;
      const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const empty = rawBody === undefined || rawBody.length === 0;
      if (!declared.content) return empty ? null : `${where}: a body (${essence}) where none is declared`;
      if (!(essence in declared.content)) return `${where}: media type ${essence || '(none)'} not declared (declared: ${Object.keys(declared.content).join(', ')})`;
      if (essence !== 'application/json' && !essence.endsWith('+json')) return null;
      const ref = `openapi#/paths/${pointer(route.template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(essence)}/schema`;
      const validate = validatorFor(ref);
      const value = typeof body === 'object' && body !== null && !Buffer.isBuffer(body) ? body : JSON.parse(String(rawBody));
      if (validate(value)) return null;
      return `${where}: body does not match the declared schema: ${ajv.errorsText(validate.errors)}`;
    },
  };
}

export type Contract = ReturnType<typeof createContract>;
