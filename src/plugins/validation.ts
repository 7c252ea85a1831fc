// How request schemas are checked. JSON bodies are typed strictly: "true" is not a boolean and "5" is
// not a number, since a client that sends them has a bug worth hearing about. Query strings and path
// parameters are text by nature, so there numbers and booleans may convert ("?limit=20").
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

export const AJV_OPTIONS = {
  // Unknown fields are an error (additionalProperties: false), never dropped silently.
  removeAdditional: false,
  // One error is enough to answer with, and stops a hostile body from making ajv collect thousands.
  allErrors: false,
} as const;

export function schemaController(): NonNullable<FastifyServerOptions['schemaController']> {
  const build = AjvCompiler();
  return {
    compilersFactory: {
      buildValidator(externalSchemas, ajvOptions) {
        const customOptions = (ajvOptions)?.customOptions;
        const compiler = (coerceTypes: false | 'array') =>
          build(externalSchemas, { ...ajvOptions, customOptions: { ...customOptions, ...AJV_OPTIONS, coerceTypes } } as Parameters<typeof build>[1]);
        const strict = compiler(false);
        const converting = compiler('array');
        return (route) => (route.httpPart === 'body' ? strict : converting)(route);
      },
    },
  };
}
