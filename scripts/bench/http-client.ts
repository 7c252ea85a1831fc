// The load client: node:http over keep-alive connections. fetch (undici) spends ~5 ms more per 3 MB
// upload in the client itself (measured with scripts/bench.ts' Server-Timing split), on the same two
// cores as the service; a load generator should cost as little as it can, as autocannon does.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function send(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<HttpResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method, agent, headers: { ...headers, 'content-length': String(body?.length ?? 0) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
