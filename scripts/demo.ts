// `npm run demo`: the real service on its own data folder (./data-demo, never a real install's DATA_DIR), with a demo
// network built through the API on the first run: two sites, a clinician, three reviewers, an admin, thirteen cases in
// every status with synthetic lesion photos. Prints the address and every demo account, serves until Ctrl-C/SIGTERM.
//
//   npm run demo                          # ./data-demo, port 3000 (or PORT)
//   npm run demo -- --data-dir <folder>   # another folder; used by test/e2e/demo.test.ts
//
// Only PORT and LOG_LEVEL are read from the environment; DATA_DIR, DATABASE_URL, MINIO_* and the rest are ignored,
// so the demo cannot write into a real database or object store. Delete the folder to build the demo afresh.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfigOrExit, type Config } from '../src/config.js';
import { socketAnswers } from '../src/storage/embedded-endpoint.js';
import { DEMO_ACCOUNTS, DEMO_ADMIN, DEMO_CASES, DEMO_SITES } from './demo/network.js';
import { seedDemo } from './demo/seed.js';

const DEFAULT_DEMO_DIR = './data-demo';
/** Written when the demo makes its folder: the demo only ever reuses or clears a folder that carries it. */
const CREATED_MARK = '.demo-network';
/** Written once the demo network is complete; without it, the next start builds the network afresh. */
const SEEDED_MARK = '.demo-seeded';

const say = (line = '') => process.stdout.write(`${line}\n`);

function options(): { dataDir: string } {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false });
  if (values.help) {
    say('npm run demo [-- --data-dir <folder>]: the service with a demo network, on its own data folder (default ./data-demo).');
    process.exit(0);
  }
  return { dataDir: path.resolve(values['data-dir'] ?? DEFAULT_DEMO_DIR) };
}

/** Says which of the service's variables this process ignores, naming the ones that would have mattered most. */
function announceIgnoredEnvironment(dataDir: string): void {
  const env = process.env;
  if (env.DATA_DIR) say(`Ignoring DATA_DIR=${env.DATA_DIR}: the demo keeps its data in ${dataDir}, never in a real install's folder.`);
  if (env.DATABASE_URL) say('Ignoring DATABASE_URL: the demo uses its own SQLite file, never a real database.');
  if (env.MINIO_ENDPOINT) say('Ignoring MINIO_ENDPOINT: the demo keeps its photos in its own embedded object store.');
  say(`Demo data folder: ${dataDir} (only PORT and LOG_LEVEL are read from the environment).`);
}

/**
 * True when the demo network must be built. Refuses a folder the demo did not make, so that `--data-dir` pointed at a
 * real DATA_DIR changes nothing; clears one where an earlier build was cut short.
 */
async function prepareDataDir(dataDir: string): Promise<boolean> {
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  if (entries.length > 0 && !entries.includes(CREATED_MARK)) {
    process.stderr.write(`${dataDir} holds files the demo did not make: refusing to use it. Choose another --data-dir, or remove the folder.\n`);
    process.exit(1);
  }
  // Checked before anything is cleared: the folder of a demo still building its network looks unfinished.
  if (entries.includes('objects.sock') && (await socketAnswers(path.join(dataDir, 'objects.sock')))) {
    process.stderr.write(`Another demo is running on ${dataDir}: stop it first, or choose another --data-dir.\n`);
    process.exit(1);
  }
  if (entries.includes(SEEDED_MARK)) return false;
  if (entries.length > 0) {
    say('The last demo start stopped before the demo network was complete: building it afresh.');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, CREATED_MARK), 'Made by `npm run demo`: demo data only. Delete this folder to build the demo afresh.\n');
  return true;
}

function demoConfig(dataDir: string): Config {
  const env = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: process.env.PORT ?? '3000',
    ADMIN_EMAIL: DEMO_ADMIN.email,
    ADMIN_PASSWORD: DEMO_ADMIN.password,
    // People try the demo accounts from one address, wrong passwords included.
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // The cases held by reviewers stay in review for a day, not half an hour.
    CLAIM_LEASE_MINUTES: '1440',
    // One person on their own machine, whose first run makes its photos in this very process (a pause of
    // ~150 ms each): shedding load would only refuse that person's own requests.
    OVERLOAD_EVENT_LOOP_DELAY_MS: '60000',
    // Requests are not logged line by line: the terminal shows the accounts; warnings and errors still show.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  return loadConfigOrExit(env);
}

function printAccounts(baseUrl: string, dataDir: string): void {
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
  const passWidth = Math.max(...DEMO_ACCOUNTS.map((a) => a.password.length));
  say();
  say(`Demo ready at ${baseUrl}/`);
  say();
  say('Sign in with these demo accounts (demo data only; anyone who reads this terminal can use them):');
  for (const account of DEMO_ACCOUNTS) {
    const about = account.role === 'admin' ? account.name : `${account.name}${account.queues ? `, queues: ${account.queues.join(', ')}` : account.site ? `, ${DEMO_SITES.find((s) => s.key === account.site)?.name ?? ''}` : ''}`;
    say(`  ${account.role.padEnd(9)}  email ${account.email.padEnd(width)}  password ${account.password.padEnd(passWidth)}  ${about}`);
  }
  say();
  say(`Data: ${dataDir} (delete the folder to build the demo afresh).`);
  say('Press Ctrl-C to stop.');
}

async function main(): Promise<void> {
  // As src/server.ts: everything the service writes is for its own user alone.
  process.umask(0o077);
  const { dataDir } = options();
  announceIgnoredEnvironment(dataDir);
  const firstRun = await prepareDataDir(dataDir);
  const config = demoConfig(dataDir);

  // Signals are taken from here on: one during the start or the seeding stops the demo just as cleanly.
  let app: FastifyInstance | null = null;
  let closing = false;
  const seeding = new AbortController();
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`\n${signal}: stopping the demo.`);
    const forced = setTimeout(() => {
      process.stderr.write('stopping took too long; exiting\n');
      process.exit(1);
    }, 30_000);
    forced.unref();
    seeding.abort();
    // Still starting: main() closes the app once it is built.
    if (!app) return;
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  app = await buildApp(config);
  if (closing) {
    await app.close();
    process.exit(0);
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    process.stderr.write(`The demo cannot listen on ${config.host}:${config.port}: ${err instanceof Error ? err.message : String(err)}. Set PORT to another port.\n`);
    await app.close();
    process.exit(1);
  }
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://${config.host}:${port}`;

  if (firstRun) {
    const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
    say(`First run: building the demo network through the API at ${baseUrl} (about half a minute).`);
    // The admin exists from the start: someone who opens the page now can already sign in.
    say(`Meanwhile the admin can sign in: email ${admin.email} password ${admin.password}`);
    const started = performance.now();
    try {
      const report = await seedDemo(baseUrl, say, seeding.signal);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      fs.writeFileSync(path.join(dataDir, SEEDED_MARK), `${JSON.stringify({ seededAt: new Date().toISOString(), seconds: Number(seconds), cases: report.cases }, null, 2)}\n`);
      say(`Built in ${seconds} s: ${DEMO_SITES.length} sites, ${DEMO_ACCOUNTS.length} accounts, ${report.cases.length} cases, ${report.photos} photos.`);
    } catch (err) {
      if (closing) return;
      process.stderr.write(`Building the demo network failed: ${err instanceof Error ? err.message : String(err)}\n`);
      await app.close();
      process.exit(1);
    }
  } else {
    say(`The demo network of an earlier run (${DEMO_CASES.length} cases); passwords as first set.`);
  }
  printAccounts(baseUrl, dataDir);
}

main().catch((err: unknown) => {
  process.stderr.write(`The demo failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
