// SQL helpers shared by the schema and the repositories.
import { sql, type SQL } from 'drizzle-orm';

/**
 * A list of string literals for `in (...)`, written out rather than bound: SQLite uses a partial index
 * only for a query term that repeats the index's own term, literals included (cases_claimable_idx).
 * Only for the service's own vocabularies (src/vocabulary.ts), never for input.
 */
export function sqlList(values: readonly string[]): SQL {
  return sql.raw(values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', '));
}
