// Validates a JSON text field of a multipart form with the same kind of schema as a JSON body,
// and the same 400 that names the field.
import type { TSchema, Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { BadRequestError } from '../errors.js';

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

export function parseJsonField<S extends TSchema>(schema: S, raw: string | undefined, field: string): Static<S> {
  if (raw === undefined) throw new BadRequestError(`${field} is required`, 'VALIDATION_ERROR');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadRequestError(`${field} must be valid JSON`, 'VALIDATION_ERROR');
  }
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  if (!validator.Check(value)) {
    const [first] = [...validator.Errors(value)];
    const path = first?.instancePath ? `${field}${first.instancePath}` : field;
    const extra = first?.keyword === 'additionalProperties' ? ` (${JSON.stringify((first.params as { additionalProperties?: unknown }).additionalProperties)})` : '';
    throw new BadRequestError(`${path} ${first?.message ?? 'is not valid'}${extra}`, 'VALIDATION_ERROR');
  }
  return value as Static<S>;
}
