// A real SMTP server for the email tests, in a process of its own (smtp-server-process.mjs): the app's mailer
// talks to it over a socket as it would to a clinic's mail server. The test reads what it accepted, makes it
// answer 451 (try again later), stops it (down: connection refused) and starts it again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

const SCRIPT = fileURLToPath(new URL('./smtp-server-process.mjs', import.meta.url));

export interface ReceivedEmail {
  /** The envelope, as the server saw it. */
  from: string | null;
  to: string[];
  /** Who signed in to send it (null: nobody did). */
  user: string | null;
  raw: string;
  /** Header names in lower case, folded lines joined, encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  /** The headers and every part decoded, to search for what must not be anywhere in the message. */
  decoded: string;
}

export interface SmtpServer {
  port: number;
  /** SMTP_URL for the app, with a user name and password (the server takes any). */
  url: string;
  /** Every message accepted so far, in order. */
  received: ReceivedEmail[];
  /** The messages accepted for this recipient. */
  to(address: string): ReceivedEmail[];
  /** The first message to `address` that matches (already received or still to come). */
  waitFor(address: string, match?: (m: ReceivedEmail) => boolean, timeoutMs?: number): Promise<ReceivedEmail>;
  /** From now on answers 451 at RCPT TO or after DATA; false accepts again. */
  refuse(step: 'rcpt' | 'data' | false): Promise<void>;
  /** Resolves once every message the server has accepted so far is in `received`. */
  sync(): Promise<void>;
  /** Ends the server's process: connections are refused until restart(). */
  stop(): Promise<void>;
  /** A new server process on the same port. */
  restart(): Promise<void>;
}

export const SMTP_USER = 'derm-mailer';

export async function startSmtpServer(): Promise<SmtpServer> {
  const port = await freePort();
  const received: ReceivedEmail[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 0;
  const acks = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  async function launch(): Promise<void> {
    const proc = spawn(process.execPath, [SCRIPT, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    child = proc;
    let ready: () => void = () => {};
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      proc.once('exit', (code) => reject(new Error(`the SMTP server process ended (code ${code}) before it listened`)));
    });
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void exited.then(() => {
      for (const pending of acks.values()) pending.reject(new Error('the SMTP server process ended'));
      acks.clear();
    });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const report = JSON.parse(line) as { type: string; id?: number; from: string | null; to: string[]; user: string | null; raw: string };
      if (report.type === 'ready') ready();
      else if (report.type === 'ack') {
        acks.get(report.id!)?.resolve();
        acks.delete(report.id!);
      }
      else if (report.type === 'message') received.push({ from: report.from, to: report.to, user: report.user, raw: report.raw, ...parseMessage(report.raw) });
    });
    await started;
  }

  function command(fields: Record<string, unknown>): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error('the SMTP server is stopped'));
    const id = ++nextId;
    const done = new Promise<void>((resolve, reject) => acks.set(id, { resolve, reject }));
    child.stdin!.write(`${JSON.stringify({ id, ...fields })}\n`);
    return done;
  }

  const to = (address: string) => received.filter((m) => m.to.includes(address));

  await launch();
  return {
    port,
    url: `smtp://${SMTP_USER}:secret-password@127.0.0.1:${port}`,
    received,
    to,
    async waitFor(address, match = () => true, timeoutMs = 15_000) {
      await waitUntil(() => to(address).some(match), `an email to ${address} arrives`, timeoutMs);
      return to(address).find(match)!;
    },
    refuse: (step) => command({ refuse: step }),
    sync: () => command({}),
    async stop() {
      child?.kill('SIGKILL');
      await exited;
      child = null;
    },
    async restart() {
      if (child) throw new Error('the SMTP server is still running');
      await launch();
    },
  };
}

// ---- a small MIME reader: what nodemailer writes (headers, multipart/alternative, quoted-printable, base64) ----

interface Part {
  headers: Record<string, string>;
  body: string;
}

function splitPart(source: string): Part {
  const end = source.search(/\r?\n\r?\n/);
  const head = end < 0 ? source : source.slice(0, end);
  const body = end < 0 ? '' : source.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] ??= decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value.replace(/=\?[^?]+\?([bBqQ])\?([^?]*)\?=\s*/g, (_all, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replace(/_/g, ' ')),
  );
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? joined.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return quotedPrintable(part.body);
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return part.body;
}

/** The leaf parts of a message, by content type. */
function leaves(part: Part): { type: string; content: string }[] {
  const contentType = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\//i.test(contentType) || !boundary) return [{ type: contentType.split(';')[0]!.trim().toLowerCase(), content: decodeBody(part) }];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections.filter((s) => !s.startsWith('--')).flatMap((s) => leaves(splitPart(s.replace(/^\r?\n/, ''))));
}

export function parseMessage(raw: string): Pick<ReceivedEmail, 'headers' | 'subject' | 'text' | 'html' | 'decoded'> {
  const message = splitPart(raw);
  const parts = leaves(message);
  const text = parts.find((p) => p.type === 'text/plain')?.content ?? '';
  const html = parts.find((p) => p.type === 'text/html')?.content ?? '';
  const headerText = Object.entries(message.headers).map(([name, value]) => `${name}: ${value}`).join('\n');
  return { headers: message.headers, subject: message.headers.subject ?? '', text, html, decoded: [headerText, ...parts.map((p) => p.content)].join('\n') };
}
