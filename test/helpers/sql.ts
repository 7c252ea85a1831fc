// Raw SQL for tests that look under the API (counts, rows, a clock moved in the data), the same text on
// both databases: `?` placeholders, turned into PostgreSQL's $1, $2... there. Values come back as each
// driver gives them, except booleans, which PostgreSQL returns as true/false and SQLite as 1/0: `one` and
// `rows` give SQLite's 0/1 as well on PostgreSQL, so an assertion reads the same on both.
import type { Database } from '../../src/db/database.js';

export interface TestSql {
  rows<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  one<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined>;
  /** Runs a statement; the number of rows it changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
  count(table: string): Promise<number>;
}

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const asSqliteValues = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'boolean' ? Number(value) : value]));

export function testSql(database: Database): TestSql {
  const { sqlite, pool } = database;
  async function rows<T>(text: string, ...params: unknown[]): Promise<T[]> {
    if (sqlite) return sqlite.prepare(text).all(...params) as T[];
    const result = await pool!.query(numbered(text), params);
    return result.rows.map((row: Record<string, unknown>) => asSqliteValues(row)) as T[];
  }
  return {
    rows,
    async one<T>(text: string, ...params: unknown[]) {
      return (await rows<T>(text, ...params))[0];
    },
    async run(text, ...params) {
      if (sqlite) return sqlite.prepare(text).run(...params).changes;
      return (await pool!.query(numbered(text), params)).rowCount ?? 0;
    },
    async count(table) {
      return Number((await rows<{ n: number }>(`select count(*) as n from ${table}`))[0]!.n);
    },
  };
}
