// libjpeg-turbo's own programs: `jpegtran` turns a JPEG in the DCT domain without decoding it (lossless),
// `djpeg` decodes one at a reduced scale (1/8 steps) while reading every byte of its scans, `cjpeg`
// encodes what djpeg decoded. Debian ships them in libjpeg-turbo-progs; where they are missing, every
// JPEG is re-encoded.
//
// They are started by a small process of the service's own (jpeg-tool-runner.mjs: forking the service
// itself would cost more than the programs' work), and read and write files in a private directory in
// memory-backed /dev/shm (pipes cost ~25 ms of CPU per 12 MP photo in 64 KB round trips). Each run is
// bounded: its output by a byte ceiling, its time by MAX_DECODE_SECONDS, and it is killed when the upload
// is abandoned. A program holds its own memory (jpegtran keeps the photo's DCT coefficients, ~6 bytes a
// pixel for a 4:2:0 photo turned 90°), which the pipeline's memory bound for the photo covers.

import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomId } from '../ids.js';
import { Slots } from './pipeline-slots.js';

export type JpegTool = 'jpegtran' | 'djpeg' | 'cjpeg';

const found = new Map<JpegTool, string | null>();

/** The tool's path on PATH, or null; looked up once per process. */
export function jpegToolPath(tool: JpegTool): string | null {
  if (!found.has(tool)) {
    const directories = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    const candidates = directories.map((directory) => path.join(directory, tool));
    found.set(tool, candidates.find(isExecutable) ?? null);
  }
  return found.get(tool)!;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The tool refused the data, warned about it, produced too much, or could not run: the caller re-encodes. */
export class JpegToolError extends Error {
  constructor(tool: string, detail: string) {
    super(`${tool}: ${detail}`);
    this.name = 'JpegToolError';
  }
}

/** The tool did not finish within its time: the photo would take as long to re-encode. */
export class JpegToolTimeout extends Error {
  constructor(tool: string, seconds: number) {
    super(`${tool} did not finish within ${seconds} s`);
    this.name = 'JpegToolTimeout';
  }
}

export interface JpegToolRun {
  /** Bytes on stdin. */
  input: Buffer;
  /** More output than this kills the tool: it can only mean a file that is not what its header says. */
  maxOutputBytes: number;
  seconds: number;
  signal?: AbortSignal;
}

// libjpeg's programs exit 2 when the data gave warnings (a scan cut short, extraneous bytes): such a
// file is not kept as it is.
const EXIT_WARNING = 2;

interface Reply {
  id: number;
  code: number;
  stderr: string;
  timedOut: boolean;
}

const RUNNER_URL = new URL('./jpeg-tool-runner.mjs', import.meta.url);
const SCRATCH_PARENT = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/** The runner process and its scratch directory (0700, removed by the runner when the service goes). */
class ToolRunner {
  readonly scratch = fs.mkdtempSync(path.join(SCRATCH_PARENT, 'derm-jpeg-tools-'));
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (reply: Reply | Error) => void>();
  private nextId = 1;
  stopped = false;

  constructor() {
    this.child = fork(RUNNER_URL, [this.scratch], { execArgv: [], env: {}, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
    this.child.on('message', (reply: Reply) => this.waiting.get(reply.id)?.(reply));
    this.child.on('exit', () => this.stop());
    this.child.on('error', () => this.stop());
    this.idle();
  }

  /** Runs one program; resolves with the runner's reply, or an Error when the runner itself stopped. */
  run(request: { commands: { executable: string | null; args: readonly string[] }[]; input: string; output: string; seconds: number }, signal?: AbortSignal): Promise<Reply | Error> {
    const id = this.nextId++;
    if (this.stopped) return Promise.resolve(new Error('the JPEG tool runner stopped'));
    return new Promise((resolve) => {
      const onAbort = () => this.child.send({ kill: id });
      this.waiting.set(id, (reply) => {
        this.waiting.delete(id);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiting.size === 0) this.idle();
        resolve(reply);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      // While a run is out, the channel keeps the process alive; idle, it does not.
      this.child.ref();
      this.child.channel?.ref();
      this.child.send({ id, ...request });
    });
  }

  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (runner === this) runner = null;
    for (const settle of this.waiting.values()) settle(new Error('the JPEG tool runner stopped'));
    if (this.child.connected) this.child.disconnect();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

let runner: ToolRunner | null = null;

/**
 * Programs running at once: one per core. They are CPU-bound, so more would only hold more memory together
 * and finish no sooner. jpegtran holds the photo's DCT coefficients twice (~75-85 MB for a 12 MP photo,
 * where djpeg and cjpeg hold a few strips): one per two cores, so that turned photos arriving together do
 * not add up (measured: two at once took the service with its children past 600 MB at 16 uploads).
 */
const toolSlots = new Slots(os.availableParallelism());
const turnSlots = new Slots(Math.max(1, Math.floor(os.availableParallelism() / 2)));

/** The running runner's scratch directory, if one runs. */
export const jpegToolsScratch = (): string | null => runner?.scratch ?? null;

/** Ends the runner process (tests, and a service closing); the next run starts a new one. */
export function closeJpegTools(): void {
  runner?.stop();
}

export interface JpegCommand {
  tool: JpegTool;
  args: readonly string[];
}

/**
 * Runs the commands as a pipeline over `input` (the first reads it, each feeds the next) and resolves with
 * what the last wrote; rejects when any of them exits other than 0.
 */
export async function runJpegTools(commands: readonly JpegCommand[], { input, maxOutputBytes, seconds, signal }: JpegToolRun): Promise<Buffer> {
  const name = commands.map((c) => c.tool).join(' | ');
  const resolved = commands.map(({ tool, args }) => ({ executable: jpegToolPath(tool), args }));
  if (resolved.some((c) => !c.executable)) throw new JpegToolError(name, 'not installed');
  signal?.throwIfAborted();
  const work = async (): Promise<Buffer> => {
    const active = (runner ??= new ToolRunner());
    const base = path.join(active.scratch, randomId());
    const files = { input: `${base}.in`, output: `${base}.out` };
    try {
      await fsp.writeFile(files.input, input, { mode: 0o600, flag: 'wx' });
      const reply = await active.run({ commands: resolved, ...files, seconds }, signal);
      signal?.throwIfAborted();
      if (reply instanceof Error) throw new JpegToolError(name, reply.message);
      if (reply.timedOut) throw new JpegToolTimeout(name, seconds);
      if (reply.code !== 0) throw new JpegToolError(name, `${reply.code === EXIT_WARNING ? 'warnings' : `exit ${reply.code}`}: ${reply.stderr.trim().split('\n')[0] ?? ''}`);
      const { size } = await fsp.stat(files.output);
      if (size > maxOutputBytes) throw new JpegToolError(name, `more than ${maxOutputBytes} bytes of output`);
      return await fsp.readFile(files.output);
    } catch (error) {
      // The scratch directory went with a runner that stopped: the tool could not run.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new JpegToolError(name, 'the JPEG tool runner stopped');
      throw error;
    } finally {
      await Promise.all([fsp.rm(files.input, { force: true }), fsp.rm(files.output, { force: true })]);
    }
  };
  // A turn waits for its own slot first, holding no core's slot meanwhile.
  const inToolSlot = () => toolSlots.run(work, { signal });
  return commands.some((c) => c.tool === 'jpegtran') ? turnSlots.run(inToolSlot, { signal }) : inToolSlot();
}

/** Runs one tool over `input` and resolves with its stdout. */
export const runJpegTool = (tool: JpegTool, args: readonly string[], run: JpegToolRun): Promise<Buffer> => runJpegTools([{ tool, args }], run);
