// Connections that send (almost) nothing while the service waits for them are closed; slow but moving
// uploads, and requests the service itself takes long over, are not. Run with CONNECTION_IDLE_SECONDS=1
// so that the idle time passes quickly; the rules are the same at the default 30 s.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { caseForm, LARGER_PHOTO } from './support.js';
import { fixture } from '../helpers/images.js';

const IDLE_SECONDS = 1;

/** Resolves with the milliseconds until the server closed the socket (or `giveUpMs` if it did not). */
function closedAfter(socket: net.Socket, giveUpMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(giveUpMs), giveUpMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

describe('idle and dribbling connections', () => {
  let t: TestApp;
  let port: number;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ CONNECTION_IDLE_SECONDS: String(IDLE_SECONDS) });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    token = (await t.createUser('clinician')).token;
  });
  afterAll(async () => t.close());

  const connect = () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    return socket;
  };

  it('closes a connection that sends nothing', async () => {
    expect(await closedAfter(connect(), 10_000)).toBeLessThan(IDLE_SECONDS * 3000);
  });

  it('closes a connection that dribbles its headers a byte at a time', async () => {
    const socket = connect();
    const head = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(1000);
    let at = 0;
    const timer = setInterval(() => socket.write(head[at++]!), 100);
    try {
      expect(await closedAfter(socket, 10_000)).toBeLessThan(IDLE_SECONDS * 3000);
    } finally {
      clearInterval(timer);
    }
  });

  it('closes a connection that dribbles its body a byte at a time', async () => {
    const socket = connect();
    socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"');
    const timer = setInterval(() => socket.write('a'), 100);
    try {
      expect(await closedAfter(socket, 10_000)).toBeLessThan(IDLE_SECONDS * 3000);
    } finally {
      clearInterval(timer);
    }
  });

  it('closes a keep-alive connection once it has been idle after its answer', async () => {
    const socket = connect();
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    await answered;
    expect(await closedAfter(socket, 10_000)).toBeLessThan(IDLE_SECONDS * 3000);
  });

  it('lets a slow but moving upload through, across several idle periods', async () => {
    const form = caseForm([LARGER_PHOTO]);
    const socket = connect();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${form.contentType}\r\nContent-Length: ${form.body.length}\r\nConnection: close\r\n\r\n`);
    // About 2.5 idle periods at 1 KB every 20 ms (50 KB/s: a slow 3G link), then the rest at once.
    const steps = Math.ceil((IDLE_SECONDS * 2500) / 20);
    let sent = 0;
    for (let i = 0; i < steps && sent < form.body.length - 1024; i++) {
      socket.write(form.body.subarray(sent, sent + 1024));
      sent += 1024;
      await new Promise((r) => setTimeout(r, 20));
    }
    socket.write(form.body.subarray(sent));
    await done;
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 201 /);
  });

  it('does not count the time the service itself takes over a request', async () => {
    // With an idle time of 0.2 s, the iPhone HEIC takes several idle times to decode; the client owes nothing meanwhile.
    const quick = await startTestApp({ CONNECTION_IDLE_SECONDS: '0.2' });
    await quick.app.listen({ port: 0, host: '127.0.0.1' });
    const quickToken = (await quick.createUser('clinician')).token;
    const form = caseForm([fixture('real/IMG_5195.HEIC')]);
    const socket = net.connect((quick.app.server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => undefined);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${quickToken}\r\nContent-Type: ${form.contentType}\r\nContent-Length: ${form.body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(form.body);
    const started = performance.now();
    try {
      await done;
      expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^HTTP\/1\.1 201 /);
      // It did take longer than the idle time, so the rule was really put to the test.
      expect(performance.now() - started).toBeGreaterThan(200);
    } finally {
      await quick.close();
    }
  }, 60_000);
});
