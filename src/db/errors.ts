// What a database failure means to the client, for both dialects. Failures of the machine's or the
// server's state (disk full, connection lost, server restarting, a lock held too long) pass by themselves
// or when the operator acts, and the transaction was rolled back: a 503 that says "try again" is right.
// Two requests writing the same unique value at once is a 409, as if they had come one after the other.
import { ServiceUnavailableError } from '../errors.js';

export interface DatabaseFailure {
  statusCode: 409 | 503;
  code: string;
  message: string;
}

const UNAVAILABLE: DatabaseFailure = {
  statusCode: 503,
  code: 'DATABASE_UNAVAILABLE',
  message: 'The database cannot be reached right now: nothing was saved, please try again shortly',
};
const BUSY: DatabaseFailure = { statusCode: 503, code: 'DATABASE_BUSY', message: 'The database is busy: nothing was saved, please try again shortly' };
const FULL: DatabaseFailure = { statusCode: 503, code: 'DATABASE_FULL', message: 'The database is out of space: nothing was saved, please try again later' };
const DUPLICATE: DatabaseFailure = { statusCode: 409, code: 'CONFLICT', message: 'This was just created by another request: reload and try again' };

export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor() {
    super(UNAVAILABLE.message, UNAVAILABLE.code);
  }
}

/** Node's socket errors when the server cannot be reached or the connection breaks. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres words these failures without a code. */
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i;

function fromSqlite(code: string): DatabaseFailure | null {
  if (code === 'SQLITE_FULL') return FULL;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return BUSY;
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PROTOCOL') return UNAVAILABLE;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return DUPLICATE;
  return null;
}

/** PostgreSQL's SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function fromSqlState(state: string): DatabaseFailure | null {
  if (state === '23505') return DUPLICATE;
  if (state === '53100') return FULL;
  // 08: connection exception; 57P01-57P03: the server is shutting down or starting; 53: out of resources.
  if (state.startsWith('08') || /^57P0[1-3]$/.test(state) || state.startsWith('53')) return UNAVAILABLE;
  // 40: serialization failure or deadlock after the retries; 55P03: lock not available; 57014: statement timeout.
  if (state.startsWith('40') || state === '55P03' || state === '57014') return BUSY;
  return null;
}

export function classifyDatabaseError(err: unknown): DatabaseFailure | null {
  // The driver's error may be wrapped by drizzle (DrizzleQueryError keeps it as cause) or be an
  // AggregateError (one refusal per address of "localhost").
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 8) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      if (code.startsWith('SQLITE_')) return fromSqlite(code);
      if (/^[0-9A-Z]{5}$/.test(code)) {
        const failure = fromSqlState(code);
        if (failure) return failure;
      }
      if (NETWORK_CODES.has(code)) return UNAVAILABLE;
    }
    if (typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message)) return UNAVAILABLE;
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return null;
}
