// Types shared by the browser code's JSDoc, checked with `npx tsc -p tsconfig.web.json`.
// Types only: no page loads this file. The .js files refer to it in JSDoc comments alone,
// as `import('…/web/types.js').Name` (TypeScript maps the .js path to this .d.ts). It sits outside
// public/, so it is never served.
//
// The case, photo, user and site shapes come from the server's TypeBox schemas (src/schemas/); the answers
// below are the ones whose schemas the server keeps private to a route file, mirrored here by hand.
import type { Static } from 'typebox';
import type { ErrorSchema } from '../schemas/common.js';
import type { LoginReplyBody } from '../schemas/auth.js';
import type { MeSchema, UserBody } from '../schemas/users.js';
import type { EventType } from '../vocabulary.js';

// ---- DOM helpers (dom.js) ----

/** What h() and mount() take as children: nodes, text, numbers, and nested arrays of them. null, undefined and false are skipped. */
export type Child = Node | string | number | boolean | null | undefined | readonly Child[];

/**
 * h() attributes: strings and numbers become attributes, `true` a boolean attribute, false/null/undefined
 * nothing; `class` may be an array; `dataset` an object; functions under `on…` become event listeners.
 */
export interface Attrs {
  [key: string]: unknown;
  [key: `on${string}`]: ((event: Event) => unknown) | null | undefined | false;
}

/** A form control field() can label and mark as required. */
export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** select() options: [value, label] pairs or plain strings (value and label alike). */
export type SelectOption = string | readonly string[];

// ---- Routing (router.js, app.js) ----

export type Role = UserBody['role'];

/** Who is signed in: the sign-in answer's user, completed with the rest of GET /api/v1/me once that has answered. */
export type SessionUser = LoginReplyBody['user'] & Partial<UserBody>;

export interface ViewContext {
  /** The signed-in user. Views of public routes (sign-in) are given null and do not read it. */
  user: SessionUser;
  home: Readonly<Record<string, string>>;
  /** False once the person has gone to another page while this view was still loading. */
  isCurrent(): boolean;
}

/** What a view may return: a function app.js calls when the page is left. */
export type Cleanup = () => void;

export type View = (main: HTMLElement, params: Record<string, string>, ctx: ViewContext) => Promise<void | Cleanup>;

export interface RouteHandler {
  public?: boolean;
  roles?: readonly Role[];
  view: View;
}

// ---- API answers: the server's own response schemas (src/schemas/) ----

export type { CaseBody, CaseSummaryBody, PhotoBody } from '../schemas/cases.js';
export type { LearningBody, TeachingCaseBody, TeachingSummaryBody } from '../schemas/teaching.js';
export type { SiteBody, UserBody } from '../schemas/users.js';
export type { QueueStatsBody as QueueStats, StatsBody as Stats, WeekStatsBody as WeekStats } from '../schemas/stats.js';
export type { ConcordanceBody as Concordance, ReviewerConcordanceBody as ReviewerConcordance } from '../schemas/stats.js';
export type { AuditEventBody as AuditEvent } from '../schemas/audit.js';
export type { LoginReplyBody as LoginReply } from '../schemas/auth.js';
export type { QueueBody as Queue } from '../schemas/queues.js';
export type { CreatedLinkBody as CreatedFollowUpLink, LinkBody as FollowUpLink } from '../schemas/follow-up-links.js';

/** GET /api/v1/me: the user with their language and which emails reach them (MeSchema in src/schemas/users.ts). */
export type MeBody = Static<typeof MeSchema>;
export type EmailChoices = MeBody['notifications']['email'];

/** What a webhook may be sent (EVENT_TYPES in src/vocabulary.ts). */
export type WebhookEvent = EventType;

/** A webhook (WebhookSchema in src/routes/webhooks.ts): its secret is never sent back. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

/** One event's delivery to a webhook (DeliverySchema in src/routes/webhooks.ts). */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  event: WebhookEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** Every error answer (ErrorSchema in src/schemas/common.ts); any field may be missing from a proxy's or a network error. */
export type ErrorBody = Partial<Static<typeof ErrorSchema>>;

/** A page of a cursor-paged list (GET /api/v1/cases, GET /api/v1/audit: pageOf in src/schemas/common.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
