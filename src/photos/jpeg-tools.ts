// libjpeg-turbo's own programs, run as child processes: `jpegtran` turns a JPEG in the DCT domain without
// decoding it (lossless), `djpeg` decodes one at a reduced scale (1/8 steps) while reading every byte of its
// scans. Debian ships both in libjpeg-turbo-progs; where they are missing, every JPEG is re-encoded.
//
// Each run is bounded: its output by a byte ceiling, its time by MAX_DECODE_SECONDS, and it is killed when
// the upload is abandoned. A child holds its own memory (jpegtran keeps the photo's DCT coefficients, ~6 bytes
// a pixel for a 4:2:0 photo turned 90°), which the pipeline's memory bound for the photo covers.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type JpegTool = 'jpegtran' | 'djpeg';

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
  constructor(tool: JpegTool, detail: string) {
    super(`${tool}: ${detail}`);
    this.name = 'JpegToolError';
  }
}

/** The tool did not finish within its time: the photo would take as long to re-encode. */
export class JpegToolTimeout extends Error {
  constructor(tool: JpegTool, seconds: number) {
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
const STDERR_KEPT = 2000;

/**
 * Where the tools read and write: an anonymous file (O_TMPFILE, Linux) in memory-backed /dev/shm when there
 * is one. A pipe costs the service ~25 ms of CPU per 12 MP photo in 64 KB round trips; a file is one copy
 * each way. The file has no name, so nothing can open it, and it is gone when closed, even after a crash.
 */
const O_TMPFILE = 0o20200000;
const scratchDirectory = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
let anonymousFilesWork = process.platform === 'linux';

async function openAnonymousFile(): Promise<FileHandle | null> {
  if (!anonymousFilesWork) return null;
  try {
    return await fsp.open(scratchDirectory, fs.constants.O_RDWR | O_TMPFILE, 0o600);
  } catch {
    anonymousFilesWork = false; // a file system without O_TMPFILE: pipes, from now on
    return null;
  }
}

/** Runs the tool over `input` and resolves with its stdout; rejects on any exit but 0. */
export async function runJpegTool(tool: JpegTool, args: readonly string[], run: JpegToolRun): Promise<Buffer> {
  const executable = jpegToolPath(tool);
  if (!executable) throw new JpegToolError(tool, 'not installed');
  run.signal?.throwIfAborted();
  const stdin = await openAnonymousFile();
  const stdout = stdin && (await openAnonymousFile());
  if (!stdin || !stdout) {
    await stdin?.close();
    return spawnTool(tool, executable, args, run, null);
  }
  try {
    // Written at position 0 without moving the file offset, so the tool reads from the start.
    await stdin.write(run.input, 0, run.input.length, 0);
    await spawnTool(tool, executable, args, run, { stdin: stdin.fd, stdout: stdout.fd });
    const { size } = await stdout.stat();
    if (size > run.maxOutputBytes) throw new JpegToolError(tool, `more than ${run.maxOutputBytes} bytes of output`);
    const output = Buffer.allocUnsafe(size);
    const { bytesRead } = await stdout.read(output, 0, size, 0);
    if (bytesRead !== size) throw new JpegToolError(tool, 'output could not be read back');
    return output;
  } finally {
    await Promise.all([stdin.close(), stdout.close()]);
  }
}

/** Spawns the tool on the given files, or on pipes (files === null; resolves with what came out of stdout). */
function spawnTool(tool: JpegTool, executable: string, args: readonly string[], { input, maxOutputBytes, seconds, signal }: JpegToolRun, files: { stdin: number; stdout: number } | null): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error); // while the files were being written
    // No environment but one allocator setting: the tools need nothing else, and none of the service's
    // settings should reach them. Huge pages save jpegtran ~30 ms of page faults on a 12 MP photo's
    // coefficients (a glibc tunable; ignored where unsupported).
    const child = spawn(executable, args, { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, stdio: [files?.stdin ?? 'pipe', files?.stdout ?? 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let outputBytes = 0;
    let stderr = '';
    let failure: Error | null = null;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new JpegToolTimeout(tool, seconds)), seconds * 1000);
    const onAbort = () => stop(signal!.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > maxOutputBytes) stop(new JpegToolError(tool, `more than ${maxOutputBytes} bytes of output`));
      else chunks.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('latin1').slice(0, STDERR_KEPT - stderr.length);
    });
    child.on('error', (error) => stop(new JpegToolError(tool, error.message)));
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (code === 0) resolve(Buffer.concat(chunks, outputBytes));
      else reject(new JpegToolError(tool, `${code === EXIT_WARNING ? 'warnings' : `exit ${code}`}: ${stderr.trim().split('\n')[0] ?? ''}`));
    });
    if (child.stdin) {
      // The tool may exit before reading all of stdin (it refused the header): that is its exit code's to say.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}
