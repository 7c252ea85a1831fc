// The embedded S3-compatible endpoint (s3rver), reachable by this process alone:
//   - it listens on a Unix socket inside DATA_DIR (owner-only), not on a TCP port any local user could open;
//   - every request must carry a secret made at start and held only in this process's memory, since
//     s3rver itself takes unsigned requests and does not check V4 signatures. Without it: 403.
// The service's minio client reaches it through a transport that adds both (embeddedTransport).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { DurableFilesystemStore } from './embedded-files.js';

const SECRET_HEADER = 'x-embedded-store-key';
// sun_path holds 108 bytes on Linux; a deep DATA_DIR gets its socket in a private folder under /tmp.
const MAX_SOCKET_PATH = 100;

export interface EmbeddedEndpoint {
  socketPath: string;
  /** A transport for the minio client: http over the socket, with the secret on every request. */
  transport: Pick<typeof http, 'request'>;
  agent: http.Agent;
  close(): Promise<void>;
}

/** True when something answers on the socket (another running instance holds this DATA_DIR). */
export function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

async function socketPathFor(dataDir: string): Promise<{ socketPath: string; privateDir: string | null }> {
  const inDataDir = path.join(dataDir, 'objects.sock');
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH) return { socketPath: inDataDir, privateDir: null };
  const privateDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'derm-store-'));
  await fs.promises.chmod(privateDir, 0o700);
  return { socketPath: path.join(privateDir, 'objects.sock'), privateDir };
}

export async function startEmbeddedEndpoint(directory: string, dataDir: string): Promise<EmbeddedEndpoint> {
  const s3 = new S3rver({ directory, silent: true });
  s3.store = s3.context.store = new DurableFilesystemStore(directory);
  const handle = s3.callback();
  const secret = randomBytes(32);

  const server = http.createServer((request, response) => {
    const given = request.headers[SECRET_HEADER];
    const ok = typeof given === 'string' && given.length === 64 && timingSafeEqual(Buffer.from(given, 'hex'), secret);
    if (!ok) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      request.resume();
      return;
    }
    delete request.headers[SECRET_HEADER];
    handle(request, response);
  });

  // The client decides when an idle connection ends (its agent's timeout below): were the server to close
  // one as the client reused it, that request would fail with a reset.
  server.keepAliveTimeout = 0;

  const { socketPath, privateDir } = await socketPathFor(dataDir);
  if (fs.existsSync(socketPath)) {
    if (await socketAnswers(socketPath)) throw new Error(`another running instance uses DATA_DIR ${dataDir} (its object store answers on ${socketPath})`);
    await fs.promises.rm(socketPath, { force: true }); // left by a process that was killed
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await fs.promises.chmod(socketPath, 0o600);

  const agent = new http.Agent({ keepAlive: true, timeout: 30_000 });
  const key = secret.toString('hex');
  return {
    socketPath,
    agent,
    transport: {
      request: ((options: http.RequestOptions, callback?: (response: http.IncomingMessage) => void) =>
        http.request({ ...options, socketPath, headers: { ...options.headers, [SECRET_HEADER]: key } }, callback)) as typeof http.request,
    },
    async close() {
      agent.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await fs.promises.rm(privateDir ?? socketPath, { recursive: true, force: true });
    },
  };
}
