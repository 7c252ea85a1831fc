// The tables of src/db/schema.ts, mirrored for PostgreSQL: one definition of the data, two dialects. Each
// SQLite column becomes its PostgreSQL counterpart (integers as bigint, since times are epoch milliseconds;
// JSON as jsonb; booleans as boolean), with the same names, defaults, keys, indexes (partial ones with
// the same condition) and foreign keys. drizzle-kit generates db/postgres/ from these, and the service
// runs its queries on them when DATABASE_URL is set.
import { getTableColumns, getTableName } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as sqlite from './schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table built from another's description has no static column types
type PgMirror = PgTableWithColumns<any>;

const mirrors = new Map<string, PgMirror>();

function columnFor(column: SQLiteColumn): PgColumnBuilderBase {
  const builder = (() => {
    switch (column.columnType) {
      case 'SQLiteText':
        return text(column.name);
      case 'SQLiteTextJson':
        return jsonb(column.name);
      case 'SQLiteInteger':
        return bigint(column.name, { mode: 'number' });
      case 'SQLiteBoolean':
        return boolean(column.name);
      case 'SQLiteReal':
        return doublePrecision(column.name);
      default:
        throw new Error(`postgres-schema: no PostgreSQL column for ${column.columnType} (${column.name})`);
    }
  })();
  // The builders differ in their static types only; each has these three.
  const modifiable = builder as unknown as { primaryKey(): void; notNull(): void; default(value: unknown): void; $defaultFn(fn: unknown): void; $onUpdateFn(fn: unknown): void };
  if (column.primary) modifiable.primaryKey();
  if (column.notNull) modifiable.notNull();
  if (column.hasDefault && column.default !== undefined) modifiable.default(column.default);
  if (column.defaultFn) modifiable.$defaultFn(column.defaultFn);
  if (column.onUpdateFn) modifiable.$onUpdateFn(column.onUpdateFn);
  return builder;
}

/** The PostgreSQL twin of one SQLite table (made once; foreign keys find their targets' twins). */
export function mirrorOf(table: SQLiteTable): PgMirror {
  const name = getTableName(table);
  const made = mirrors.get(name);
  if (made) return made;
  const config = getTableConfig(table);
  // Keyed as in the SQLite table (createdAt), so that the repositories' queries read the same on both.
  const columns = Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, columnFor(column as SQLiteColumn)]));
  const keyOf = (c: SQLiteColumn) => Object.entries(getTableColumns(c.table)).find(([, column]) => column === c)![0];
  const mirror = pgTable(name, columns, (t) => {
    const column = (c: SQLiteColumn): AnyPgColumn => t[keyOf(c)] as AnyPgColumn;
    const foreignColumn = (c: SQLiteColumn): AnyPgColumn => mirrorOf(c.table)[keyOf(c)] as AnyPgColumn;
    return [
      ...config.primaryKeys.map((key) => primaryKey({ columns: key.columns.map(column) as [AnyPgColumn, ...AnyPgColumn[]] })),
      ...config.indexes.map(({ config: ix }) => {
        const [first, ...rest] = (ix.columns as SQLiteColumn[]).map(column);
        const on = (ix.unique ? uniqueIndex : index)(ix.name).on(first!, ...rest);
        return ix.where ? on.where(ix.where) : on;
      }),
      ...config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const key = foreignKey({ columns: ref.columns.map(column) as [AnyPgColumn], foreignColumns: ref.foreignColumns.map(foreignColumn) as [AnyPgColumn] });
        if (fk.onDelete) key.onDelete(fk.onDelete);
        return key;
      }),
    ];
  });
  mirrors.set(name, mirror);
  return mirror;
}

// Exported one by one: drizzle-kit looks for the tables among this module's exports.
export const sites = mirrorOf(sqlite.sites);
export const users = mirrorOf(sqlite.users);
export const queues = mirrorOf(sqlite.queues);
export const userQueues = mirrorOf(sqlite.userQueues);
export const sessions = mirrorOf(sqlite.sessions);
export const auditEvents = mirrorOf(sqlite.auditEvents);
export const cases = mirrorOf(sqlite.cases);
export const photos = mirrorOf(sqlite.photos);
export const claims = mirrorOf(sqlite.claims);
export const opinions = mirrorOf(sqlite.opinions);
export const caseOutcomes = mirrorOf(sqlite.caseOutcomes);
export const traineeOpinions = mirrorOf(sqlite.traineeOpinions);
export const messages = mirrorOf(sqlite.messages);
export const caseEvents = mirrorOf(sqlite.caseEvents);
export const followUpLinks = mirrorOf(sqlite.followUpLinks);
export const setupTokens = mirrorOf(sqlite.setupTokens);
export const passwordResets = mirrorOf(sqlite.passwordResets);
export const signInFailures = mirrorOf(sqlite.signInFailures);
export const jobRuns = mirrorOf(sqlite.jobRuns);
export const caseVisits = mirrorOf(sqlite.caseVisits);
export const outboxEvents = mirrorOf(sqlite.outboxEvents);
export const emailNotifications = mirrorOf(sqlite.emailNotifications);
export const webhooks = mirrorOf(sqlite.webhooks);
export const webhookDeliveries = mirrorOf(sqlite.webhookDeliveries);
