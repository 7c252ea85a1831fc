// A real webhook receiver for the tests: an HTTP server on loopback that records every request and checks
// its signature itself (SPEC: `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." +
// body)>`), so that a test sees what a clinic's system would see. It answers 2xx, 500, holds each request
// unanswered until released (a receiver slower than the service's timeout), or is not listening at all.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { freePort } from './ports.js';

export type ReceiverMode = 'ok' | 'error' | 'hold';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** X-Webhook-Id: the event's number, the same on every attempt at it. */
  id: string;
  /** X-Webhook-Timestamp (Unix seconds). */
  timestamp: number;
  signatureValid: boolean;
  /** Wall-clock time of arrival (Date.now()). */
  receivedAt: number;
  /** What the receiver answered; null while held or when the connection was cut first. */
  answered: number | null;
}

export interface WebhookReceiver {
  port: number;
  /** http://127.0.0.1:<port>/hook */
  url: string;
  /** Every request so far, oldest first. */
  received: ReceivedDelivery[];
  /** Requests answered 2xx. */
  delivered(): ReceivedDelivery[];
  setMode(mode: ReceiverMode): void;
  /** Starts listening (for a receiver made with `listening: false`). */
  listen(): Promise<void>;
  /** Answers every held request with 200. */
  release(): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and cuts every open connection (held requests included). */
  close(): Promise<void>;
}

function signatureMatches(secret: string, timestamp: string, body: string, given: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const actual = Buffer.from(given ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A receiver on a free loopback port (or `port`), listening at once unless `listening` is false. */
export async function startWebhookReceiver(secret: string, options: { mode?: ReceiverMode; listening?: boolean; port?: number } = {}): Promise<WebhookReceiver> {
  let mode: ReceiverMode = options.mode ?? 'ok';
  const port = options.port ?? (await freePort());
  const received: ReceivedDelivery[] = [];
  const held: { res: ServerResponse; record: ReceivedDelivery }[] = [];

  const answer = (res: ServerResponse, record: ReceivedDelivery, status: number) => {
    record.answered = status;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver error');
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const timestamp = String(req.headers['x-webhook-timestamp'] ?? '');
      const record: ReceivedDelivery = {
        headers: req.headers,
        body,
        id: String(req.headers['x-webhook-id'] ?? ''),
        timestamp: Number(timestamp),
        signatureValid: req.method === 'POST' && /^\d+$/.test(timestamp) && signatureMatches(secret, timestamp, body, req.headers['x-webhook-signature'] as string | undefined),
        receivedAt: Date.now(),
        answered: null,
      };
      received.push(record);
      if (mode === 'ok') answer(res, record, 200);
      else if (mode === 'error') answer(res, record, 500);
      else held.push({ res, record });
    });
  });

  const receiver: WebhookReceiver = {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    received,
    delivered: () => received.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300),
    setMode(next) {
      mode = next;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    release() {
      for (const { res, record } of held.splice(0)) if (!res.destroyed) answer(res, record, 200);
    },
    async waitForRequests(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${received.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise((resolve) => {
        held.splice(0);
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  if (options.listening !== false) await receiver.listen();
  return receiver;
}
