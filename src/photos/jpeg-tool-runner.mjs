// Starts libjpeg-turbo's programs for the service (jpeg-tools.ts), from a process of its own.
//
// Why a process of its own: Node starts a program with fork() then exec(). Forking the service, which holds
// hundreds of MB, marks every page of it copy-on-write, and the service then takes a page fault on each
// page it writes: measured at ~165 ms of CPU per start for a 500 MB process, more than the program's own
// work. Forked from this small process, a start costs ~2 ms.
//
// Messages from the service: {id, commands: [{executable, args}, ...], input, output, seconds} runs the
// commands as a pipeline, the first reading the file `input`, each writing to the next, the last writing
// the file `output`; {kill: id} stops them. Replies: {id, code, stderr, timedOut}, where code is the
// first command's that did not exit 0, or 0. When the service goes (even killed), the IPC channel closes and this
// process removes its scratch directory and ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const STDERR_KEPT = 2000;
const running = new Map();
const scratch = process.argv[2];

function run({ id, commands, input, output, seconds }) {
  let stdin;
  let stdout;
  try {
    stdin = fs.openSync(input, 'r');
    stdout = fs.openSync(output, 'w', 0o600);
  } catch (error) {
    if (stdin !== undefined) fs.closeSync(stdin);
    process.send({ id, code: -1, stderr: `cannot open the scratch files: ${error.code ?? error.message}`, timedOut: false });
    return;
  }
  const children = [];
  let from = stdin;
  commands.forEach(({ executable, args }, i) => {
    const last = i === commands.length - 1;
    // No environment but one allocator setting: the programs need nothing else, and none of the service's
    // settings should reach them. Huge pages save jpegtran ~30 ms of page faults on a 12 MP photo's
    // coefficients (a glibc tunable; ignored where unsupported).
    const child = spawn(executable, args, { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, stdio: [from, last ? stdout : 'pipe', 'pipe'] });
    // This process keeps no end of the pipe it handed on: the next command holds it alone.
    if (from !== stdin) from.destroy();
    from = child.stdout;
    children.push(child);
  });
  fs.closeSync(stdin);
  fs.closeSync(stdout);
  running.set(id, children);

  let stderr = '';
  let timedOut = false;
  const kill = () => children.forEach((child) => child.kill('SIGKILL'));
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, seconds * 1000);
  const codes = children.map(
    (child) =>
      new Promise((resolve) => {
        child.stderr.on('data', (chunk) => {
          if (stderr.length < STDERR_KEPT) stderr += chunk.toString('latin1').slice(0, STDERR_KEPT - stderr.length);
        });
        child.on('error', (error) => {
          stderr += error.message;
        });
        child.on('close', (code) => {
          // A command that failed leaves the others without input or output: stop them too.
          if (code !== 0) kill();
          resolve(code ?? -1);
        });
      }),
  );
  void Promise.all(codes).then((all) => {
    clearTimeout(timer);
    running.delete(id);
    process.send({ id, code: all.find((code) => code !== 0) ?? 0, stderr, timedOut });
  });
}

process.on('message', (message) => {
  if (message.kill !== undefined) for (const child of running.get(message.kill) ?? []) child.kill('SIGKILL');
  else run(message);
});

process.on('disconnect', () => {
  for (const children of running.values()) for (const child of children) child.kill('SIGKILL');
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
});
