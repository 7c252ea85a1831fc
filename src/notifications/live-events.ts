// Server-Sent Events for signed-in users (GET /api/v1/events). Every instance reads the outbox after the
// last event it has seen (at once when a change of its own commits, otherwise by polling, which is how a
// change made on another instance arrives), and sends each subscriber what they may see, as the API would
// show it to them: blinding holds (no opinion, no reviewer's name before they have judged the case).
// An event's `id:` is its outbox number, so a client that reconnects with Last-Event-ID gets what it missed.
import type { ServerResponse } from 'node:http';
import type { BaseLogger } from 'pino';
import { answerOf } from '../cases/answer.js';
import { canReadCase, canSeeConsensus, reviewsQueue, type Viewer } from '../cases/access.js';
import type { Clock } from '../clock.js';
import type { Repositories } from '../repositories/index.js';
import type { OutboxEvent } from '../repositories/outbox.js';
import { isoTime } from '../schemas/common.js';
import { serialPasses } from './serial-passes.js';

export interface Subscriber {
  viewer: Viewer;
  /** The hash of the session token the stream was opened with: signing out ends the stream. */
  session: string;
  /** The last event number this subscriber has been sent (or skipped as not theirs). */
  after: number;
  /** Writes a chunk; false when the client reads too slowly and its buffer is full. */
  write(chunk: string): boolean;
  end(): void;
}

export interface LiveEventsOptions {
  repos: Repositories;
  clock: Clock;
  log: Pick<BaseLogger, 'warn' | 'debug'>;
  /** How often the outbox is read while anyone listens (changes made on other instances arrive so). */
  pollMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number;
}

const BATCH = 500;
/** A client this far behind (bytes waiting in its socket) is dropped; it reconnects and resumes. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

interface CaseFacts {
  referrerId: string;
  queueSlug: string;
  answeredAt: number | null;
  consensus: import('../vocabulary.js').Diagnosis | null;
  opinions: { reviewerId: string; diagnosis: import('../vocabulary.js').Diagnosis; management: string; disposition: import('../vocabulary.js').Disposition; createdAt: number }[] | null;
}

export function sseFrame(name: string, id: number, data: unknown): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createLiveEvents({ repos, clock, log, pollMs = 1000, heartbeatMs = 20_000 }: LiveEventsOptions) {
  const subscribers = new Set<Subscriber>();
  let closed = false;

  async function factsOf(caseId: string, cache: Map<string, CaseFacts | null>, withOpinions: boolean): Promise<CaseFacts | null> {
    let facts = cache.get(caseId);
    if (facts === undefined) {
      const row = await repos.cases.findById(caseId);
      facts = row ? { referrerId: row.referrerId, queueSlug: row.queueSlug, answeredAt: row.answeredAt, consensus: row.consensus, opinions: null } : null;
      cache.set(caseId, facts);
    }
    if (facts && withOpinions && facts.opinions === null) facts.opinions = await repos.cases.opinions(caseId);
    return facts;
  }

  /** The event as this viewer may see it, or null when it is not theirs. */
  async function render(event: OutboxEvent, viewer: Viewer, cache: Map<string, CaseFacts | null>): Promise<{ name: string; data: Record<string, unknown> } | null> {
    if (!event.caseId || !event.queueSlug) return null;
    const answered = event.type === 'case.updated' && event.data.status === 'answered';
    const facts = await factsOf(event.caseId, cache, answered);
    if (!facts || !canReadCase(viewer, { referrerId: facts.referrerId, queueSlug: event.queueSlug })) return null;
    const base = { caseId: event.caseId, queue: event.queueSlug, at: isoTime(event.at) };
    const d = event.data;
    switch (event.type) {
      case 'case.created':
        return { name: 'case.created', data: { ...base, status: d.status, urgency: d.urgency, dueAt: isoTime(Number(d.dueAt)), photos: d.photos } };
      case 'case.updated': {
        const data: Record<string, unknown> = { ...base, status: d.status, previousStatus: d.previousStatus };
        if (d.previousQueue) data.previousQueue = d.previousQueue;
        if (answered && facts.consensus && facts.opinions) {
          const gaveOpinion = facts.opinions.some((o) => o.reviewerId === viewer.id);
          if (canSeeConsensus(viewer, facts, gaveOpinion)) data.answer = answerOf(facts.consensus, facts.opinions);
        }
        return { name: 'case.updated', data };
      }
      case 'case.overdue':
        // Not an event of its own on the stream: the case changed in that it is now overdue.
        return { name: 'case.updated', data: { ...base, status: d.status, overdue: true, dueAt: isoTime(Number(d.dueAt)) } };
      case 'message.created':
        return { name: 'message.created', data: { ...base, messageId: d.messageId, requestInfo: d.requestInfo, authorType: d.authorType } };
      case 'photos.added':
        return { name: 'photos.added', data: { ...base, count: d.photos, uploaderType: d.uploaderType } };
    }
  }

  /** Queues whose counts this viewer sees: a reviewer's own, every queue for an admin. */
  function countsFor(viewer: Viewer, queues: Iterable<string>): string[] {
    return [...queues].filter((q) => viewer.role === 'admin' || reviewsQueue(viewer, q));
  }

  function send(sub: Subscriber, chunk: string) {
    if (!sub.write(chunk)) {
      log.debug('event stream dropped: the client reads too slowly');
      drop(sub);
    }
  }

  function drop(sub: Subscriber) {
    if (!subscribers.delete(sub)) return;
    sub.end();
  }

  async function sendCounts(subs: Subscriber[], queues: Set<string>, id: number) {
    if (queues.size === 0) return;
    const counts = await repos.queues.counts([...queues], clock.now());
    for (const sub of subs) {
      for (const q of countsFor(sub.viewer, queues)) {
        const c = counts.find((x) => x.queue === q);
        if (c) send(sub, sseFrame('queue.counts', id, c));
      }
    }
  }

  async function pumpOnce(): Promise<boolean> {
    const subs = [...subscribers];
    if (subs.length === 0) return false;
    const from = Math.min(...subs.map((s) => s.after));
    const events = await repos.outbox.after(from, BATCH);
    if (events.length === 0) return false;
    const cache = new Map<string, CaseFacts | null>();
    const touched = new Set<string>();
    for (const event of events) {
      if (event.queueSlug) touched.add(event.queueSlug);
      if (typeof event.data.previousQueue === 'string') touched.add(event.data.previousQueue);
      for (const sub of subs) {
        if (sub.after >= event.seq || !subscribers.has(sub)) continue;
        const shown = await render(event, sub.viewer, cache);
        if (shown) send(sub, sseFrame(shown.name, event.seq, shown.data));
        sub.after = event.seq;
      }
    }
    await sendCounts(subs.filter((s) => subscribers.has(s)), touched, events.at(-1)!.seq);
    return events.length === BATCH;
  }

  /** Reads the outbox until caught up; one reader at a time, and once more if woken meanwhile. */
  const pump = serialPasses(
    async () => {
      while (!closed && (await pumpOnce()));
    },
    { stopped: () => closed, onError: ({ message }) => log.warn({ err: { message } }, 'live events: reading the outbox failed') },
  ).run;

  repos.outbox.onRecorded(() => void pump());
  const poller = setInterval(() => void pump(), pollMs);
  poller.unref();
  const heartbeat = setInterval(() => {
    for (const sub of [...subscribers]) send(sub, ': keep-alive\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  return {
    /**
     * Starts a stream after event `after` (Last-Event-ID, or the newest event for a fresh one): first the
     * viewer's queue counts, then whatever they missed, then events as they come.
     */
    async subscribe(sub: Subscriber): Promise<void> {
      subscribers.add(sub);
      const queues = sub.viewer.role === 'admin' ? (await repos.queues.list()).map((q) => q.slug) : sub.viewer.queues;
      await sendCounts([sub], new Set(countsFor(sub.viewer, queues)), sub.after);
      void pump();
    },
    unsubscribe(sub: Subscriber): void {
      subscribers.delete(sub);
    },
    /** Subscribers of one user (a user may keep a few tabs open; the oldest goes when there are too many). */
    of(userId: string): Subscriber[] {
      return [...subscribers].filter((s) => s.viewer.id === userId);
    },
    get size() {
      return subscribers.size;
    },
    drop,
    /**
     * Ends the streams of sessions that just ended here (sign-out, a disabled account, a new password);
     * other instances notice within their session check.
     */
    endSessions(userId: string, keepSession?: string): void {
      for (const sub of [...subscribers]) if (sub.viewer.id === userId && sub.session !== keepSession) drop(sub);
    },
    endSession(session: string): void {
      for (const sub of [...subscribers]) if (sub.session === session) drop(sub);
    },
    /** Wakes the reader now (tests; a change committed elsewhere). */
    pump,
    close(): void {
      closed = true;
      clearInterval(poller);
      clearInterval(heartbeat);
      for (const sub of [...subscribers]) drop(sub);
    },
  };
}

export type LiveEvents = ReturnType<typeof createLiveEvents>;

/** A subscriber writing to an HTTP response. */
export function responseSubscriber(res: ServerResponse, viewer: Viewer, session: string, after: number): Subscriber {
  return {
    viewer,
    session,
    after,
    write(chunk) {
      if (res.destroyed || res.writableEnded) return false;
      res.write(chunk);
      return res.writableLength <= MAX_BUFFERED_BYTES;
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
