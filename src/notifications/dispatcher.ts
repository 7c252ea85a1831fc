// Drains the outbox into emails and webhook deliveries, and sends them. Fan-out runs on one instance at a
// time (a fleet lock): it writes each event's emails (by each user's choices) and deliveries (one per
// subscribed webhook) and marks the event dispatched, in one transaction, so an event is fanned out once
// whatever crashes. Sending is leased row by row, so any instance may send and none sends a row another is
// sending; a row is marked sent only after the SMTP server or the receiver has accepted it. A crash
// between the change and the delivery loses nothing: the row waits in the database for the next sender.
import type { BaseLogger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database, Db } from '../db/database.js';
import type { Repositories } from '../repositories/index.js';
import type { NewEmail, Recipient } from '../repositories/notifications.js';
import type { OutboxEvent } from '../repositories/outbox.js';
import { isoTime } from '../schemas/common.js';
import type { EmailKind } from '../vocabulary.js';
import { caseCode, digestEmail, emailLanguage, eventEmail } from './email-content.js';
import { messageIdFor, type Mailer } from './mailer.js';
import { attemptDelivery, DELIVERY_TIMEOUT_MS, nextAttemptAt } from './webhooks.js';
import { serialPasses } from './serial-passes.js';

export interface DispatcherOptions {
  database: Database;
  repos: Repositories;
  mailer: Mailer;
  clock: Clock;
  publicUrl: string;
  log: Pick<BaseLogger, 'warn' | 'info' | 'debug'>;
  /** How often the outbox and the due rows are looked at (changes of this instance wake it at once). */
  everyMs?: number;
  /** Webhook receivers get this long (tests shorten it). */
  deliveryTimeoutMs?: number;
}

const FAN_OUT_BATCH = 100;
const SEND_BATCH = 16;
/** A sender holds a row this long; after a crash, another takes it once this has passed. */
const LEASE_MS = DELIVERY_TIMEOUT_MS + 20_000;

/** Who hears of an event by email, and as which kind. */
async function emailRecipients(event: OutboxEvent, repos: Repositories, tx: Db): Promise<{ kind: EmailKind; to: Recipient[] }[]> {
  if (!event.caseId) return [];
  const n = repos.notifications;
  const referrer = async () => {
    const r = await n.referrerOf(event.caseId!, tx);
    return r ? [r] : [];
  };
  const d = event.data;
  switch (event.type) {
    case 'case.created':
      return [{ kind: 'newCase', to: await n.reviewersOfQueue(event.queueSlug!, tx) }];
    case 'case.updated':
      return d.status === 'answered' && d.previousStatus !== 'answered' ? [{ kind: 'answered', to: await referrer() }] : [];
    case 'message.created':
      if (d.requestInfo) return [{ kind: 'needsInfo', to: await referrer() }];
      if (d.fromReferrer) return [{ kind: 'reply', to: await n.reviewersOfCase(event.caseId, tx) }];
      if (d.authorType === 'link') return [{ kind: 'followUp', to: await referrer() }];
      return [];
    case 'photos.added': {
      if (d.uploaderType === 'link') return [{ kind: 'followUp', to: await referrer() }];
      const r = await n.referrerOf(event.caseId, tx);
      return r && r.id === event.actorId ? [{ kind: 'reply', to: await n.reviewersOfCase(event.caseId, tx) }] : [];
    }
    case 'case.overdue':
      return [{ kind: 'overdue', to: [...(await n.reviewersOfQueue(event.queueSlug!, tx)), ...(await n.admins(tx))] }];
  }
}

/** What a webhook receives for an event: ids and statuses, never case text. */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({
    id: String(event.seq),
    type: event.type,
    createdAt: isoTime(event.at),
    data: { caseId: event.caseId, caseCode: event.caseId ? caseCode(event.caseId) : null, queue: event.queueSlug, ...event.data },
  });
}

export function createDispatcher({ database, repos, mailer, clock, publicUrl, log, everyMs = 1000, deliveryTimeoutMs = DELIVERY_TIMEOUT_MS }: DispatcherOptions) {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  // A database out of reach fails every pass: said once, not every second.
  let lastFailure = '';

  async function fanOutBatch(): Promise<number> {
    const now = clock.now();
    return database.transaction(async (tx) => {
      const events = await repos.outbox.undispatched(FAN_OUT_BATCH, tx);
      if (events.length === 0) return 0;
      const hooks = await repos.notifications.webhooks();
      for (const event of events) {
        if (mailer.enabled) {
          const emails: NewEmail[] = [];
          for (const { kind, to } of await emailRecipients(event, repos, tx)) {
            for (const r of to) {
              // Nobody is told of what they did themselves.
              if (r.id === event.actorId || !r.preferences[kind]) continue;
              const held = r.preferences.digest && kind !== 'overdue';
              emails.push({ eventSeq: event.seq, userId: r.id, kind, caseId: event.caseId, dedupeKey: `${kind}:${event.caseId}:${event.at}`, status: held ? 'held' : 'pending' });
            }
          }
          await repos.notifications.addEmails(tx, emails, now);
        }
        const subscribed = hooks.filter((h) => h.events.includes(event.type) && h.createdAt <= event.at);
        await repos.notifications.addDeliveries(tx, event.seq, event.type, subscribed.map((h) => h.id), now);
      }
      await repos.outbox.markDispatched(tx, events.map((e) => e.seq));
      return events.length;
    });
  }

  async function sendEmail(row: Awaited<ReturnType<Repositories['notifications']['leaseEmails']>>[number]) {
    const to = await repos.notifications.user(row.userId);
    if (!to || !row.caseId) {
      await repos.notifications.emailFailed(row.id, row.attempts, null, 'no such user');
      return;
    }
    try {
      await mailer.send(to.email, eventEmail(row.kind, row.caseId, publicUrl, emailLanguage(to.language)), messageIdFor(row.id, publicUrl));
      await repos.notifications.emailSent(row.id, clock.now());
    } catch (err) {
      const attempts = row.attempts + 1;
      const retryAt = nextAttemptAt(attempts, row.createdAt, clock.now());
      const reason = (err as { responseCode?: number; code?: string }).responseCode ?? (err as { code?: string }).code ?? 'error';
      log.warn({ notification: row.id, attempts, reason }, retryAt ? 'email not accepted: trying again later' : 'email not accepted: given up');
      await repos.notifications.emailFailed(row.id, attempts, retryAt, String(reason).slice(0, 100));
    }
  }

  async function sendDelivery(row: Awaited<ReturnType<Repositories['notifications']['leaseDeliveries']>>[number], event: OutboxEvent | undefined) {
    const now = clock.now();
    if (!event) {
      await repos.notifications.recordAttempt(row.id, { delivered: false, attempts: row.attempts, at: now, responseStatus: null, error: 'event no longer kept', durationMs: 0, retryAt: null });
      return;
    }
    const result = await attemptDelivery(row.url, row.secret, webhookBody(event), { 'x-webhook-id': String(event.seq), 'x-webhook-event': event.type }, () => clock.now(), deliveryTimeoutMs);
    const attempts = row.attempts + 1;
    const retryAt = result.delivered ? null : nextAttemptAt(attempts, row.createdAt, clock.now());
    if (!result.delivered) log.warn({ delivery: row.id, webhook: row.webhookId, attempts, error: result.error }, retryAt ? 'webhook delivery failed: trying again later' : 'webhook delivery failed: given up');
    await repos.notifications.recordAttempt(row.id, { ...result, attempts, at: clock.now(), retryAt });
  }

  function track(work: Promise<void>) {
    const p = work.catch((err: unknown) => log.warn({ err: { message: (err as Error).message } }, 'notification sending failed')).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  async function cycle() {
    await database.tryFleetLock('outbox', async () => {
      while (!stopped && (await fanOutBatch()) === FAN_OUT_BATCH);
    });
    if (stopped) return;
    const room = SEND_BATCH - inFlight.size;
    if (room <= 0) return;
    if (mailer.enabled) for (const row of await repos.notifications.leaseEmails(clock.now(), Math.ceil(room / 2), LEASE_MS)) track(sendEmail(row));
    const deliveries = await repos.notifications.leaseDeliveries(clock.now(), Math.floor(room / 2) || 1, LEASE_MS);
    const events = await repos.outbox.bySeq([...new Set(deliveries.map((d) => d.eventSeq))]);
    for (const row of deliveries) track(sendDelivery(row, events.find((e) => e.seq === row.eventSeq)));
  }

  /** One pass now (fan-out, then whatever is due); a pass already running runs once more afterwards. */
  const passes = serialPasses(cycle, {
    stopped: () => stopped,
    onSuccess: () => (lastFailure = ''),
    onError: ({ message }) => {
      if (!stopped && message !== lastFailure) log.warn({ err: { message } }, 'outbox dispatch failed: trying again');
      lastFailure = message;
    },
  });
  const runOnce = passes.run;

  repos.outbox.onRecorded(() => void runOnce());
  let timer: NodeJS.Timeout | null = null;

  return {
    runOnce,
    /** Resolves once every send started so far has finished (tests). */
    async settle(): Promise<void> {
      await runOnce();
      while (inFlight.size) await Promise.all(inFlight);
    },
    start() {
      timer = setInterval(() => void runOnce(), everyMs);
      timer.unref();
      void runOnce();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await passes.running;
      await Promise.all(inFlight);
    },

    /** The daily digest: each user's held emails in one message. */
    async sendDigests(): Promise<number> {
      if (!mailer.enabled) return 0;
      let sent = 0;
      for (const userId of await repos.notifications.usersWithHeldEmails()) {
        const to = await repos.notifications.user(userId);
        const held = await repos.notifications.heldEmails(userId);
        if (!to || held.length === 0) continue;
        try {
          const digest = digestEmail(held.map((h) => ({ kind: h.kind, caseId: h.caseId })), publicUrl, emailLanguage(to.language));
          await mailer.send(to.email, digest, messageIdFor(`digest-${held[0]!.id}`, publicUrl));
          await repos.notifications.markDigested(held.map((h) => h.id), clock.now());
          sent++;
        } catch (err) {
          log.warn({ user: userId, reason: (err as { code?: string }).code ?? 'error' }, 'digest not accepted: trying again with the next one');
        }
      }
      return sent;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
