// What the log keeps of an error: its type, code, the driver's message and the stack frames, never a
// failed query's text, its values, or PostgreSQL's quote of the row.
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { serializeError } from '../../src/logger.js';

const HISTORY = 'Itchy plaque on the left shin of Jane Roe, born 1961';

describe('the logged error', () => {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), {
    code: '23505',
    detail: 'Key (email)=(jane.roe@example.org) already exists.',
  });
  const failed = new DrizzleQueryError('insert into "cases" ("history") values ($1)', [`${HISTORY}\n    at not-a-frame`], cause);

  it('withholds the query text, its values and the row PostgreSQL quotes', () => {
    const logged = JSON.stringify(serializeError(failed));
    expect(logged).not.toContain('Jane Roe');
    expect(logged).not.toContain('jane.roe@example.org');
    expect(logged).not.toMatch(/insert into/i);
    expect(logged).toContain('Failed query (its text and values are not logged)');
  });

  it('keeps the type, the driver error with its code, and the stack frames', () => {
    const logged = serializeError(failed) as { type: string; stack: string; cause: { code: string; message: string } };
    expect(logged.type).toBe('DrizzleQueryError');
    expect(logged.cause).toMatchObject({ code: '23505', message: expect.stringContaining('users_email_unique') });
    expect(logged.stack).toMatch(/\n\s+at /);
  });

  it('cleans a plain object that carries such a message too', () => {
    expect(serializeError({ message: failed.message, code: 'SQLITE_FULL' })).toEqual({ message: 'Failed query (its text and values are not logged)', code: 'SQLITE_FULL' });
  });
});
