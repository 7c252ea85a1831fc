// A real PostgreSQL for the tests: a throwaway cluster (initdb) under a temporary folder, its server on
// loopback, started by the test itself (never a system service). Needs the Debian package postgresql-15
// (binaries from /usr/lib/postgresql/<newest>/bin, or PG_BIN) and setpriv, from util-linux.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

/** What test workers get of the run's cluster (test/helpers/postgres-global.ts). */
export interface PostgresConnection {
  port: number;
  /** The url of its `postgres` database, to create test databases from. */
  adminUrl: string;
}

export interface PostgresCluster {
  port: number;
  /** The temporary folder that holds the data, the socket and the server's log; gone after stop(). */
  dir: string;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE (trust authentication: no password). */
  url(database: string): string;
  /** Creates a database (a random name unless given; a copy of `template` if given) and gives its url. */
  createDatabase(name?: string, template?: string): Promise<string>;
  /** Drops a database, ending its connections first. */
  dropDatabase(name: string): Promise<void>;
  /** Stops only the server (the data stays): an outage of the database. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port, resolved once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops the server and removes the temporary folder. */
  stop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Ends the database's connections and drops it. */
  drop(): Promise<void>;
}

/** The binaries: PG_BIN, or the newest version Debian's packages installed. */
const PG_BIN = process.env.PG_BIN ?? newestDebianPostgres();

function newestDebianPostgres(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((x, y) => Number(y) - Number(x)) : [];
  return path.join(root, versions[0] ?? '15', 'bin');
}
const OS_USER = 'postgres';
const DIR_PREFIX = 'derm-pg-';
/** The pid of the test process a cluster's folder belongs to. */
const OWNER_FILE = 'owner.pid';
const STEP_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every server any cluster of this process started and that has not exited yet. */
const liveServers = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort for a process that ends without stop(): only synchronous work runs here. The servers are
  // also spawned with a parent-death signal, which covers a test process killed by a signal; their
  // backends notice the postmaster's death and leave by themselves.
  process.once('exit', () => {
    for (const server of liveServers) server.kill('SIGKILL');
    for (const dir of liveDirs) {
      releaseSharedMemory(dir);
      try {
        fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // A backend still dying may write as the folder goes; the other folders still go.
      }
    }
  });
}

/** PostgreSQL refuses to run as root: as root, its programs run as the postgres OS user instead. */
const asRoot = process.getuid?.() === 0;
const userSwitch = asRoot ? [`--reuid=${OS_USER}`, `--regid=${OS_USER}`, '--init-groups'] : [];

/**
 * Where the cluster's folder goes: a RAM file system when there is one, since on a busy disk CREATE DATABASE
 * takes 150-450 ms instead of ~50 ms and initdb twice as long.
 */
function tempBase(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/**
 * Marks for removal the small System V segment of a server that was SIGKILLed (a clean shutdown removes it
 * itself, and its postmaster.pid with it): the kernel would keep it until a reboot. Synchronous, for the
 * exit hook. The key must match too, so that a reused segment id is left alone.
 */
function releaseSharedMemory(dir: string): void {
  try {
    // Line 7 of postmaster.pid: the segment's key and id.
    const [key, id] = (fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[6] ?? '').trim().split(/\s+/);
    const segments = fs.readFileSync('/proc/sysvipc/shm', 'utf8').split('\n').map((line) => line.trim().split(/\s+/));
    if (id && segments.some(([k, i]) => k === key && i === id)) execFileSync('ipcrm', ['-m', id], { stdio: 'ignore' });
  } catch {
    // No postmaster.pid (a clean shutdown, or no server yet), or no System V IPC here: nothing to do.
  }
}

/**
 * Removes the folders of test processes that were SIGKILLed (no exit hook ran; the parent-death signal
 * ended their servers): in /dev/shm each would hold ~40 MB of memory until a reboot.
 */
function sweepOrphans(base: string): void {
  for (const entry of fs.readdirSync(base)) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(base, entry);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      // Not ours, or just being made by another run.
      continue;
    }
    try {
      process.kill(owner, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') continue;
      releaseSharedMemory(dir);
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

/** A name that needs no quoting and cannot collide with another test's. */
function randomName(): string {
  return `test_${randomBytes(8).toString('hex')}`;
}

function urlOf(port: number, database: string): string {
  return `postgres://${OS_USER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function tail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no file)';
  }
}

/** Runs `work` on a short-lived connection to `url`. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A lost connection also rejects the call at hand; unheard, the event would end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabaseOn(adminUrl: string, name: string, template?: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`create database ${client.escapeIdentifier(name)}${template ? ` template ${client.escapeIdentifier(template)}` : ''}`),
  );
}

/** `with (force)`: a pool a test forgot to end must not keep the database alive. */
async function dropDatabaseOn(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`));
}

/**
 * Creates a randomly named database on the server of `adminUrl` (a url of any database there, e.g. the
 * `postgres` one): what a test worker, which only knows the url, uses to get a database of its own.
 * `template` must have no connections while it is copied.
 */
export async function createTestDatabase(adminUrl: string, template?: string): Promise<TestDatabase> {
  const name = randomName();
  await createDatabaseOn(adminUrl, name, template);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabaseOn(adminUrl, name),
  };
}

export async function startPostgres(): Promise<PostgresCluster> {
  const started = performance.now();
  const base = tempBase();
  sweepOrphans(base);
  const dir = fs.mkdtempSync(path.join(base, DIR_PREFIX));
  liveDirs.add(dir);
  installExitHook();
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  if (asRoot) {
    const { uid, gid } = await osUser(OS_USER);
    fs.chownSync(dir, uid, gid);
  }
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();
  const adminUrl = urlOf(port, 'postgres');
  let server: ChildProcess | undefined;

  function failure(step: string, detail: string): Error {
    return new Error(`PostgreSQL test cluster: ${step} failed after ${Math.round(performance.now() - started)} ms: ${detail}\n--- postgres.log (tail)\n${tail(logFile)}`);
  }

  function startServerProcess(): ChildProcess {
    const out = fs.openSync(logFile, 'a');
    // In the foreground, so that the pid is the postmaster's; the parent-death signal kills it if this
    // process dies without running stop() or its exit hook (SIGKILL, vitest's SIGTERM to a worker).
    // setpriv sets that signal after switching user, which would otherwise clear it.
    const child = spawn(
      'setpriv',
      [
        ...userSwitch, '--pdeathsig', 'SIGKILL', '--', path.join(PG_BIN, 'postgres'), '-D', dataDir,
        '-p', String(port), '-h', '127.0.0.1', '-k', dir,
        // Durability is worth nothing for data thrown away after the run.
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        // Parallel test files each hold a pool of connections.
        '-c', 'max_connections=200', '-c', 'shared_buffers=32MB',
        // Dynamic shared memory as files in the data folder, which goes with it: no PostgreSQL.* segments
        // left in /dev/shm after a SIGKILL.
        '-c', 'dynamic_shared_memory_type=mmap',
        '-c', 'log_min_messages=warning', '-c', 'log_statement=none',
      ],
      { cwd: dir, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    liveServers.add(child);
    child.once('exit', () => liveServers.delete(child));
    return child;
  }

  async function accepts(): Promise<boolean> {
    try {
      await withClient(adminUrl, (client) => client.query('select 1'));
      return true;
    } catch {
      // Refused while the server starts, and "the database system is starting up" just after.
      return false;
    }
  }

  async function startServer(): Promise<void> {
    if (server && server.exitCode === null && server.signalCode === null) return;
    const child = startServerProcess();
    server = child;
    const deadline = performance.now() + STEP_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        server = undefined;
        throw failure('server start', `postgres exited (${child.exitCode ?? child.signalCode})`);
      }
      if (await accepts()) return;
      if (performance.now() > deadline) throw failure('server start', `no connection within ${STEP_TIMEOUT_MS} ms`);
      await pause(POLL_MS);
    }
  }

  async function stopServer(): Promise<void> {
    const child = server;
    if (!child) return;
    server = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGINT is the fast shutdown: open sessions are ended, not waited for.
      child.kill('SIGINT');
      const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(stuck);
    }
  }

  async function stop(): Promise<void> {
    await stopServer();
    releaseSharedMemory(dir);
    // After a SIGKILL the backends may outlive the postmaster for a moment, writing as the folder goes.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    liveDirs.delete(dir);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const args = [
        ...userSwitch, '--', path.join(PG_BIN, 'initdb'), '-D', dataDir, '--auth=trust', '-U', OS_USER,
        '--encoding=UTF8', '--no-locale', '--no-sync', '--no-instructions',
      ];
      execFile('setpriv', args, { cwd: dir, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
        if (err) reject(failure('initdb', `${err.message}\n${stdout}${stderr}`));
        else resolve();
      });
    });
    await startServer();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    port,
    dir,
    url: (database) => urlOf(port, database),
    async createDatabase(name = randomName(), template?: string) {
      await createDatabaseOn(adminUrl, name, template);
      return urlOf(port, name);
    },
    dropDatabase: (name) => dropDatabaseOn(adminUrl, name),
    stopServer,
    startServer,
    stop,
  };
}

/** The uid and gid of an OS user, from `id` (Node has no getpwnam). */
async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const id = (flag: string) =>
    new Promise<number>((resolve, reject) => {
      execFile('id', [flag, name], (err, stdout) => (err ? reject(new Error(`PostgreSQL test cluster: no OS user ${name}: ${err.message}`)) : resolve(Number(stdout.trim()))));
    });
  return { uid: await id('-u'), gid: await id('-g') };
}
