// DATA_DIR and the embedded object store belong to the service alone: owner-only files, no TCP port but
// the API's, and a store socket that refuses any request without the secret the service holds in memory.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as Minio from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicianOf, postCase, PHOTO, startServer, tempDataDir, type ServerProcess } from './support.js';

/** TCP ports the process listens on, from its socket inodes and /proc/net/tcp{,6}. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      if (inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

function overSocket(socketPath: string, method: string, requestPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: requestPath, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('DATA_DIR and the embedded object store', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = tempDataDir();
    fs.chmodSync(dataDir, 0o755); // as an operator might have made it
    server = await startServer(dataDir);
    const token = await clinicianOf(server.baseUrl);
    expect((await postCase(server.baseUrl, token, [PHOTO])).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes DATA_DIR and everything the service writes in it owner-only', () => {
    expect(mode(dataDir)).toBe(0o700);
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        const bits = mode(full);
        if (bits & 0o077) found.push(`${path.relative(dataDir, full)} ${bits.toString(8)}`);
      }
    };
    walk(dataDir);
    expect(found).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'service.sqlite'))).toBe(true);
  });

  it('listens on no TCP port but the API: the store is a Unix socket under DATA_DIR', () => {
    expect(listeningPorts(server.child.pid!)).toEqual([server.port]);
    const socket = path.join(dataDir, 'objects.sock');
    expect(fs.statSync(socket).isSocket()).toBe(true);
    expect(mode(socket)).toBe(0o600);
  });

  it('refuses every request to the store that lacks the service secret, signed or not', async () => {
    const socket = path.join(dataDir, 'objects.sock');
    for (const [method, target] of [['GET', '/'], ['GET', '/photos?list-type=2'], ['PUT', '/photos/photos/intruder'], ['DELETE', '/photos'], ['GET', '/photos/photos/x']] as const) {
      const res = await overSocket(socket, method, target, { host: '127.0.0.1' });
      expect(res.status, `${method} ${target}`).toBe(403);
    }
    // A real S3 client with the well-known s3rver keys, over the same socket, gets nowhere either.
    const client = new Minio.Client({
      endPoint: '127.0.0.1',
      port: 9000,
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'us-east-1',
      pathStyle: true,
      transport: { request: (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => http.request({ ...options, socketPath: socket }, callback) } as unknown as typeof http,
    });
    await expect(client.bucketExists('photos')).rejects.toThrow();
    const listed: string[] = [];
    await expect(
      (async () => {
        for await (const item of client.listObjectsV2('photos', '', true)) listed.push(String(item.name));
      })(),
    ).rejects.toThrow();
    expect(listed).toEqual([]);
  });
});
