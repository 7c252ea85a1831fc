// A real S3 endpoint for the tests: a one-node Ceph cluster (one monitor, one OSD on memstore, no manager)
// with a RADOS Gateway on loopback, all under a temporary folder and started by the test itself (never a
// system service). Needs the Debian packages radosgw, ceph-mon and ceph-osd (and setpriv, from util-linux).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/** Where a gateway listens and who may use it: plain data, so that vitest can hand it to test files. */
export interface RgwConnection {
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  region: string;
}

export interface Rgw extends RgwConnection {
  /** The MINIO_* variables that point the service at this gateway (bucket 'photos'). */
  env: Record<string, string>;
  /** Stops only radosgw (the cluster keeps its data): an outage of the S3 endpoint. */
  stopGateway(): Promise<void>;
  /** Starts radosgw again on the same port, resolved once it answers HTTP. */
  startGateway(): Promise<void>;
  /** Stops every daemon and removes the temporary folder. */
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const BUCKET = 'photos';
const STEP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
const RGW_NAME = 'client.rgw.a';
const DIR_PREFIX = 'derm-ceph-';
/** The pid of the process that started the cluster, so that a later start can tell an orphaned folder. */
const OWNER_FILE = 'owner.pid';
/** Younger folders may be still being set up by another process, before any pid is written. */
const ORPHAN_MIN_AGE_MS = 60_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every daemon any cluster of this process started and that has not exited yet. */
const liveDaemons = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort for a process that ends without stop(): only synchronous work runs here. The daemons are
  // also spawned with a parent-death signal, which covers a test process killed by a signal.
  process.once('exit', () => {
    for (const daemon of liveDaemons) daemon.kill('SIGKILL');
    // Retries: a daemon just killed may still be closing a file in the folder.
    for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  });
}

/** The MINIO_* variables that src/config.ts reads, pointing the service at this gateway and bucket. */
export function rgwEnv(connection: RgwConnection, bucket: string): Record<string, string> {
  return {
    MINIO_ENDPOINT: connection.endpoint,
    MINIO_PORT: String(connection.port),
    MINIO_USE_SSL: 'false',
    MINIO_ACCESS_KEY: connection.accessKey,
    MINIO_SECRET_KEY: connection.secretKey,
    MINIO_BUCKET: bucket,
    MINIO_REGION: connection.region,
  };
}

/** Running, that is: neither gone nor a zombie (killed daemons whose new parent, pid 1, may never reap them). */
function isRunning(pid: number): boolean {
  try {
    // "pid (command) state …": the command may itself hold parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Removes the folders of test processes that died without cleaning up (SIGKILL, or a signal that ran no
 * exit hook): their daemons died with them (parent-death signal), only the files are left. A folder is
 * kept while its owner or any daemon whose pid file it holds runs, and while it is young (being created).
 */
function removeOrphanedFolders(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs < ORPHAN_MIN_AGE_MS) continue;
      const pidFiles = fs.readdirSync(dir).filter((file) => file === OWNER_FILE || file.endsWith('.pid'));
      const pids = pidFiles.map((file) => Number(fs.readFileSync(path.join(dir, file), 'utf8').trim()));
      if (pids.some(isRunning)) continue;
    } catch {
      continue; // removed meanwhile by its owner
    }
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Random characters from [A-Z0-9], as AWS-style access keys are written. */
function randomKey(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function tail(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no file)';
  }
}

export async function startRgw(): Promise<Rgw> {
  const started = performance.now();
  removeOrphanedFolders();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  liveDirs.add(dir);
  installExitHook();
  const at = (name: string) => path.join(dir, name);
  const conf = at('ceph.conf');
  const monPort = await freePort();
  let port = await freePort();
  while (port === monPort) port = await freePort();
  const accessKey = randomKey(20);
  const secretKey = randomBytes(30).toString('base64url');
  const daemons = new Map<string, ChildProcess>();

  /** The tail of every log under the folder: what a failed step's error shows. */
  function logTails(): string {
    const logs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log') || f.endsWith('.out')) : [];
    return logs.map((f) => `--- ${f} (tail)\n${tail(at(f))}`).join('\n');
  }

  function failure(step: string, detail: string): Error {
    return new Error(`Ceph test cluster: ${step} failed after ${Math.round(performance.now() - started)} ms: ${detail}\n${logTails()}`);
  }

  /** A command that must finish: its stdout, or an error with its output and the daemons' logs. */
  function run(step: string, command: string, args: string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(command, args, { cwd: dir, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
        if (err) reject(failure(step, `${command} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`));
        else resolve(stdout);
      });
      child.stdin?.end(input ?? '');
    });
  }

  /** The ceph CLI as the admin; it gives up itself if the monitor does not answer in time. */
  const ceph = (step: string, args: string[], input?: string) => run(step, 'ceph', ['-c', conf, '--connect-timeout', String(STEP_TIMEOUT_MS / 1000 - 5), ...args], input);

  function startDaemon(name: string, command: string, args: string[]): void {
    const out = fs.openSync(at(`${name}.out`), 'a');
    // In the foreground, so that the pid is the daemon's; the parent-death signal kills it if this
    // process dies without running stop() or its exit hook (SIGKILL, vitest's SIGTERM to a worker).
    const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', command, '-f', '-c', conf, ...args], { cwd: dir, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    daemons.set(name, child);
    liveDaemons.add(child);
    child.once('exit', () => liveDaemons.delete(child));
  }

  async function stopDaemon(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = daemons.get(name);
    if (!child) return;
    daemons.delete(name);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(stuck);
    }
  }

  /** Polls until `ready` is true, every ~100 ms; fails at once if a daemon has exited. */
  async function waitFor(step: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = performance.now() + STEP_TIMEOUT_MS;
    for (;;) {
      for (const [name, child] of daemons) {
        if (child.exitCode !== null || child.signalCode !== null) throw failure(step, `${name} exited (${child.exitCode ?? child.signalCode})`);
      }
      if (await ready()) return;
      if (performance.now() > deadline) throw failure(step, `not done within ${STEP_TIMEOUT_MS} ms`);
      await pause(POLL_MS);
    }
  }

  async function gatewayAnswers(): Promise<boolean> {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      return false;
    }
  }

  async function startGateway(): Promise<void> {
    startDaemon('rgw', 'radosgw', ['-n', RGW_NAME]);
    await waitFor('radosgw answering HTTP', gatewayAnswers);
  }

  async function stop(): Promise<void> {
    // The data is thrown away: SIGKILL spares memstore writing itself to disk on the way out.
    await Promise.all([...daemons.keys()].map((name) => stopDaemon(name, 'SIGKILL')));
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    liveDirs.delete(dir);
  }

  try {
    const fsid = randomUUID();
    fs.writeFileSync(
      conf,
      `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
public network = 127.0.0.0/8
auth allow insecure global id reclaim = false
run dir = ${dir}
pid file = ${dir}/$name.pid
log file = ${dir}/$name.log
keyring = ${dir}/$name.keyring
mon cluster log file = ${dir}/cluster.log
; one OSD holds every replica
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
; the monitor commits every change within 0.1 s instead of 1 s: most of the start-up time
paxos propose interval = 0.01

[mon]
admin socket = ${dir}/$name.asok
mon data = ${dir}/$name
; where --mkfs put the monitor's keyring
keyring = ${dir}/$name/keyring

[osd]
admin socket = ${dir}/$name.asok
osd data = ${dir}/$name
osd objectstore = memstore
memstore device bytes = 4294967296

[${RGW_NAME}]
admin socket = ${dir}/$name.asok
rgw data = ${dir}/$name
rgw frontends = beast endpoint=127.0.0.1:${port}
`,
    );

    await run('monitor keyring', 'ceph-authtool', ['--create-keyring', at('mon.keyring'), '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run('admin keyring', 'ceph-authtool', [
      '--create-keyring', at('client.admin.keyring'), '--gen-key', '-n', 'client.admin',
      '--cap', 'mon', 'allow *', '--cap', 'osd', 'allow *', '--cap', 'mgr', 'allow *',
    ]);
    // The gateway's key goes into the monitor's first keyring too: one ceph CLI call (~0.4 s) fewer.
    await run('gateway keyring', 'ceph-authtool', [
      '--create-keyring', at(`${RGW_NAME}.keyring`), '--gen-key', '-n', RGW_NAME, '--cap', 'mon', 'allow rw', '--cap', 'osd', 'allow rwx',
    ]);
    for (const keyring of ['client.admin.keyring', `${RGW_NAME}.keyring`]) {
      await run(`${keyring} into the monitor keyring`, 'ceph-authtool', [at('mon.keyring'), '--import-keyring', at(keyring)]);
    }
    await run('monitor map', 'monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, at('monmap')]);
    await run('monitor mkfs', 'ceph-mon', ['-c', conf, '-i', 'a', '--mkfs', '--monmap', at('monmap'), '--keyring', at('mon.keyring')]);
    startDaemon('mon', 'ceph-mon', ['-i', 'a']);

    const osdUuid = randomUUID();
    const osdSecret = (await run('OSD key', 'ceph-authtool', ['--gen-print-key'])).trim();
    const osdId = (await ceph('OSD registration', ['osd', 'new', osdUuid, '-i', '-'], JSON.stringify({ cephx_secret: osdSecret }))).trim();
    fs.writeFileSync(at(`osd.${osdId}.keyring`), `[osd.${osdId}]\n\tkey = ${osdSecret}\n`);
    fs.mkdirSync(at(`osd.${osdId}`));
    await run('OSD mkfs', 'ceph-osd', ['-c', conf, '-i', osdId, '--mkfs', '--osd-uuid', osdUuid]);
    startDaemon('osd', 'ceph-osd', ['-i', osdId]);
    // No wait for the OSD to be up: radosgw waits for its pools itself, and answering HTTP means it has
    // them; polling `ceph osd stat` would cost ~0.4 s a look.
    await startGateway();
    await run('S3 user', 'radosgw-admin', ['-c', conf, 'user', 'create', '--uid=derm-test', '--display-name=derm tests', `--access-key=${accessKey}`, `--secret-key=${secretKey}`]);
  } catch (err) {
    await stop();
    throw err;
  }

  const connection: RgwConnection = { endpoint: '127.0.0.1', port, accessKey, secretKey, region: REGION };
  return {
    ...connection,
    env: rgwEnv(connection, BUCKET),
    // SIGTERM: radosgw then leaves its watches on the cluster cleanly, so the next one starts at once.
    stopGateway: () => stopDaemon('rgw', 'SIGTERM'),
    startGateway,
    stop,
  };
}
