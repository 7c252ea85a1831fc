// What a user would run instead of the service to take the metadata out of a phone JPEG: exiftool or
// jpegtran, one process per photo, as a script over a folder would. Neither turns a rotated photo
// upright, makes a thumbnail or display copy, or checks its output: they only remove metadata.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runAtConcurrency, type RunResult } from './stats.js';

const run = promisify(execFile);

export interface Peer {
  name: 'exiftool' | 'jpegtran';
  /** The command line, for the table. */
  label: string;
  args(input: string, output: string): string[];
}

export const PEERS: readonly Peer[] = [
  { name: 'exiftool', label: 'exiftool -all=', args: (input, output) => ['-all=', '-o', output, input] },
  { name: 'jpegtran', label: 'jpegtran -copy none', args: (input, output) => ['-copy', 'none', '-outfile', output, input] },
];

export interface PeerResult {
  serial: RunResult;
  /** At concurrency 2, one process per core. */
  parallel: RunResult;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((directory) => {
    try {
      fs.accessSync(path.join(directory, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Each installed peer over `files` in turn, `count` photos serially then `count` two at a time; null for a
 * peer that is not on PATH. The outputs go to a temporary directory, removed at the end.
 */
export async function measurePeers(files: readonly string[], count: number): Promise<Record<Peer['name'], PeerResult | null>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derm-bench-peers-'));
  const results: Record<Peer['name'], PeerResult | null> = { exiftool: null, jpegtran: null };
  try {
    for (const peer of PEERS) {
      if (!onPath(peer.name)) continue;
      // exiftool will not overwrite a file: each run writes its own.
      const job = (prefix: string) => async (i: number) => {
        await run(peer.name, peer.args(files[i % files.length]!, path.join(dir, `${peer.name}-${prefix}-${i}.jpg`)));
      };
      await runAtConcurrency(files.length, 1, job('warm'));
      results[peer.name] = { serial: await runAtConcurrency(count, 1, job('serial')), parallel: await runAtConcurrency(count, 2, job('parallel')) };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
