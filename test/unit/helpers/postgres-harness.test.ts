// The throwaway PostgreSQL the tests run against (test/helpers/postgres.ts) is real, isolates databases, can
// be taken down and brought back as an outage, and leaves neither a process nor a folder behind.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startPostgres, type PostgresCluster } from '../../helpers/postgres.js';

/** Runs one query on a fresh connection, closed afterwards. */
async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The pids of every process working in `dir` (the postmaster and its backends chdir to the data folder). */
function processesIn(dir: string): number[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
    } catch {
      // Gone meanwhile.
      return false;
    }
  }).map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the PostgreSQL test cluster', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgres();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('answers queries on loopback, with the speed settings', async () => {
    const [row] = await query(cluster.url('postgres'), "select current_user as who, current_setting('fsync') as fsync, current_setting('listen_addresses') as listen, current_setting('max_connections') as max");
    expect(row).toEqual({ who: 'postgres', fsync: 'off', listen: '127.0.0.1', max: '200' });
    expect(cluster.url('postgres')).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
  });

  it('gives each createTestDatabase caller a database of its own, and drops it even while connected', async () => {
    const [a, b] = await Promise.all([createTestDatabase(cluster.url('postgres')), createTestDatabase(cluster.url('postgres'))]);
    expect(a.url).not.toBe(b.url);
    await query(a.url, 'create table only_in_a (id int); insert into only_in_a values (1)');
    expect(await query(a.url, 'select id from only_in_a')).toEqual([{ id: 1 }]);
    expect(await query(b.url, "select to_regclass('only_in_a') as t")).toEqual([{ t: null }]);

    // A connection left open must not keep the database alive: drop() ends it.
    const leftOpen = new pg.Client({ connectionString: a.url });
    // The server's termination notice, then the closed socket: two events, both heard.
    const ended = new Promise<Error>((resolve) => leftOpen.on('error', resolve));
    await leftOpen.connect();
    await a.drop();
    expect((await ended).message).toMatch(/terminat/);
    await expect(query(a.url, 'select 1')).rejects.toMatchObject({ code: '3D000' });
    await b.drop();
  });

  it('creates and drops databases by name, and copies a template', async () => {
    const templateUrl = await cluster.createDatabase('harness_template');
    await query(templateUrl, 'create table seeded (id int)');
    const copyUrl = await cluster.createDatabase(undefined, 'harness_template');
    expect(await query(copyUrl, "select to_regclass('seeded')::text as t")).toEqual([{ t: 'seeded' }]);
    await cluster.dropDatabase(new URL(copyUrl).pathname.slice(1));
    await cluster.dropDatabase('harness_template');
    expect(await query(cluster.url('postgres'), "select count(*)::int as n from pg_database where datname like 'harness_%' or datname like 'test_%'")).toEqual([{ n: 0 }]);
  });

  it('refuses connections while the server is stopped, and has kept the data when it starts again', async () => {
    const db = await createTestDatabase(cluster.url('postgres'));
    await query(db.url, "create table survives (note text); insert into survives values ('before the outage')");

    await cluster.stopServer();
    await expect(query(db.url, 'select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await cluster.startServer();
    expect(await query(db.url, 'select note from survives')).toEqual([{ note: 'before the outage' }]);
    await db.drop();
  });

  it('stops every process of the cluster and removes its folder', async () => {
    const dataDir = path.join(cluster.dir, 'data');
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const processes = processesIn(cluster.dir);
    // The postmaster and at least its checkpointer, writers and launchers.
    expect(processes).toContain(postmaster);
    expect(processes.length).toBeGreaterThan(3);

    await cluster.stop();
    expect(fs.existsSync(cluster.dir)).toBe(false);
    expect(processes.filter(alive)).toEqual([]);
    expect(processesIn(cluster.dir)).toEqual([]);
  });
});
