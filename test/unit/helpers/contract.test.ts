// The contract check that every route test runs on every response (test/helpers/contract.ts) does catch what
// breaks the document: an undeclared status, a wrong media type, a body off its schema.
import { describe, expect, it } from 'vitest';
import { createContract } from '../../helpers/contract.js';

const doc = {
  paths: {
    '/api/v1/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, n: { type: 'integer', nullable: true } } } } } },
          '204': {},
          '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
  },
  components: { schemas: { Error: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } } },
};

describe('the OpenAPI contract check', () => {
  const contract = createContract(doc);
  const json = (body: unknown) => [body, JSON.stringify(body)] as const;

  it('passes responses that keep the document, and ignores paths it does not describe', () => {
    expect(contract.check('GET', '/api/v1/things/abc', 200, 'application/json; charset=utf-8', ...json({ id: 'abc', n: null }))).toBeNull();
    expect(contract.check('GET', '/api/v1/things/abc?x=1', 404, 'application/json', ...json({ code: 'NOT_FOUND' }))).toBeNull();
    expect(contract.check('GET', '/api/v1/things/abc', 204, undefined, undefined, '')).toBeNull();
    expect(contract.check('GET', '/somewhere/else', 500, 'text/plain', 'x', 'x')).toBeNull();
  });

  it('names an undeclared status, an undeclared media type, a body where none belongs and a body off its schema', () => {
    expect(contract.check('GET', '/api/v1/things/abc', 500, 'application/json', ...json({ code: 'X' }))).toMatch(/status not declared/);
    expect(contract.check('GET', '/api/v1/things/abc', 200, 'text/html', '<p>', '<p>')).toMatch(/media type text\/html not declared/);
    expect(contract.check('GET', '/api/v1/things/abc', 204, 'application/json', ...json({}))).toMatch(/a body/);
    expect(contract.check('GET', '/api/v1/things/abc', 200, 'application/json', ...json({ n: 'five' }))).toMatch(/does not match/);
    expect(contract.check('GET', '/api/v1/things/abc', 404, 'application/json', ...json({ message: 'no code' }))).toMatch(/does not match/);
  });
});
