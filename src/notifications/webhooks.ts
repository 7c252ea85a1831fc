// Webhooks for a clinic's own systems (an EHR, an SMS gateway): which URLs are taken, how a delivery is
// signed, and one delivery attempt. A clinic's systems live on private and loopback addresses, so those are
// allowed; the service itself is not (a webhook to its own API would loop events back into it).
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import os from 'node:os';
import { BadRequestError } from '../errors.js';

/** A receiver gets this long to answer before the attempt counts as failed and is tried again. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries are tried until this long after the event, then given up. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** Waits before each next attempt; the last one repeats until the window closes. */
const BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 2 * 3_600_000, 3 * 3_600_000];

/** When to try again after `attempts` failed attempts, or null when the window has closed. */
export function nextAttemptAt(attempts: number, firstAt: number, now: number): number | null {
  const wait = BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!;
  const at = now + wait;
  return at - firstAt > RETRY_WINDOW_MS ? null : at;
}

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, as SPEC says. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** An IPv4-mapped IPv6 address as its IPv4 address: URL parsing writes [::ffff:127.0.0.1] as [::ffff:7f00:1]. */
function unmapped(address: string): string {
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

function isThisMachine(mapped: string): boolean {
  const address = unmapped(mapped);
  if (/^127\./.test(address) || address === '::1' || address === '0.0.0.0' || address === '::') return true;
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => i.address === address));
}

const defaultPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

export interface Self {
  /** The port the service listens on. */
  port: number;
  /** PUBLIC_URL: whatever host serves the service to others. */
  publicUrl: string;
}

/**
 * Refuses (400) a URL a webhook may not use: not http(s), with credentials in it, or the service's own
 * address (its PUBLIC_URL, or this machine at the port it listens on).
 */
export async function checkWebhookUrl(raw: string, self: Self): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequestError('The webhook URL is not a valid URL', 'INVALID_WEBHOOK_URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestError('A webhook URL must start with http:// or https://', 'INVALID_WEBHOOK_URL');
  if (url.username || url.password) throw new BadRequestError('Put no user name or password in a webhook URL: deliveries are signed with the secret', 'INVALID_WEBHOOK_URL');
  const pointsAtSelf = async () => {
    const pub = new URL(self.publicUrl);
    if (url.hostname === pub.hostname && defaultPort(url) === defaultPort(pub)) return true;
    if (defaultPort(url) !== self.port) return false;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (LOCAL_NAMES.has(host.toLowerCase())) return true;
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    return addresses.some(isThisMachine);
  };
  if (await pointsAtSelf()) throw new BadRequestError('A webhook cannot point at this service itself', 'INVALID_WEBHOOK_URL');
  return url;
}

export interface AttemptResult {
  delivered: boolean;
  responseStatus: number | null;
  /** Why it failed, in a few words (never the receiver's body). */
  error: string | null;
  durationMs: number;
}

/** One POST of a signed body; any 2xx delivers it. Redirects are not followed (a signed body goes where it was sent). */
export async function attemptDelivery(url: string, secret: string, body: string, headers: Record<string, string>, now: () => number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<AttemptResult> {
  const started = performance.now();
  const timestamp = Math.floor(now() / 1000);
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'teledermatology-webhooks/1',
        'x-webhook-timestamp': String(timestamp),
        'x-webhook-signature': signature(secret, timestamp, body),
        ...headers,
      },
      body,
    });
    // Only the status matters; the body is read away so that the connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    const delivered = res.status >= 200 && res.status < 300;
    return { delivered, responseStatus: res.status, error: delivered ? null : `HTTP ${res.status}`, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const error = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.message).slice(0, 200);
    return { delivered: false, responseStatus: null, error, durationMs: Math.round(performance.now() - started) };
  }
}
