// Live updates: one connection per signed-in tab to GET /api/v1/events (Server-Sent Events), read with fetch
// because an EventSource cannot send the bearer header. Views subscribe with onLive(name, handler); the
// connection resumes after a drop with Last-Event-ID, so what happened meanwhile still arrives.
import { session, streamRequest } from './api.js';

/**
 * The events the server sends (src/notifications/live-events.ts) and what they carry.
 * @typedef {{ caseId: string, queue: string, at: string }} CaseEventBase
 * @typedef {{
 *   'case.created': CaseEventBase & { status: string, urgency: string, dueAt: string, photos: number },
 *   'case.updated': CaseEventBase & { status: string, previousStatus?: string, previousQueue?: string, overdue?: boolean },
 *   'message.created': CaseEventBase & { messageId: string, requestInfo: boolean, authorType: string },
 *   'photos.added': CaseEventBase & { count: number, uploaderType: string },
 *   'queue.counts': { queue: string, open: number, waiting: number, queued: number, inReview: number, needsInfo: number, disputed: number, overdue: number },
 *   'resync': Record<string, never>,
 * }} LiveEvents
 */
/** @typedef {keyof LiveEvents} LiveEventName */

const EVENTS_PATH = '/api/v1/events';
/** The server's `retry:` replaces this; further failures in a row wait longer, up to the ceiling. */
const DEFAULT_RETRY_MS = 3000;
const MAX_RETRY_MS = 60_000;
/** The server sends a keep-alive every 20 s: this long without a byte, the connection is dead (a laptop woke up). */
const SILENCE_MS = 50_000;
const STALLED = 'stalled';

/** @type {Map<string, Set<(data: any) => void>>} */
const handlers = new Map();

/**
 * Calls `handler` with each event of that name until the returned function is called.
 * @template {LiveEventName} N
 * @param {N} name
 * @param {(data: LiveEvents[N]) => void} handler
 * @returns {() => void} unsubscribes
 */
export function onLive(name, handler) {
  const set = handlers.get(name) ?? new Set();
  handlers.set(name, set);
  set.add(handler);
  return () => set.delete(handler);
}

/**
 * @param {string} name
 * @param {unknown} data
 */
function dispatch(name, data) {
  for (const handler of [...(handlers.get(name) ?? [])]) {
    try {
      handler(data);
    } catch {
      // One view's failure must not stop the others from hearing the event.
    }
  }
}

/**
 * The connection: the token it was opened with (never written anywhere else), how to stop it, where it is in
 * the stream, and how long to wait before the next attempt.
 */
const state = {
  /** @type {string | null} */
  token: null,
  /** @type {AbortController | null} */
  controller: null,
  /** @type {string | null} */
  lastEventId: null,
  retryMs: DEFAULT_RETRY_MS,
  failures: 0,
  /** @type {ReturnType<typeof setTimeout> | null} */
  timer: null,
  /** @type {string | null} a token the server refused: not tried again (the app signs out) */
  refused: null,
};

/** Tests and styles can see whether live updates flow: body[data-live] is "open", "connecting" or "off". */
function showState(/** @type {'open' | 'connecting' | 'off'} */ value) {
  document.body.dataset.live = value;
}

/**
 * Opens the connection when signed in and closes it when not; called on every page change (so after sign-in,
 * on load, and after sign-out). A new token (another person signed in) starts a new stream from now.
 */
export function syncLive() {
  const token = session.token;
  if (token === state.token) return;
  stopLive();
  // Nothing a trainee reads changes live (teaching cases are answered), and the stream is for staff only.
  if (!token || token === state.refused || session.user?.role === 'trainee' || typeof ReadableStream === 'undefined') return;
  state.token = token;
  state.lastEventId = null;
  state.failures = 0;
  void connect(token);
}

/** Closes the connection (sign-out) and forgets where it was in the stream. */
export function stopLive() {
  state.controller?.abort();
  state.controller = null;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  state.token = null;
  state.lastEventId = null;
  showState('off');
}

/** @param {string} token */
async function connect(token) {
  const controller = new AbortController();
  state.controller = controller;
  showState('connecting');
  /** @type {Record<string, string>} */
  const headers = { accept: 'text/event-stream' };
  if (state.lastEventId !== null) headers['last-event-id'] = state.lastEventId;
  try {
    const response = await streamRequest(EVENTS_PATH, { headers, signal: controller.signal });
    if (response.status === 401) {
      // The session is over: the app signs out (api.js); this token is not tried again.
      state.refused = token;
      stopLive();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
    showState('open');
    await readStream(response.body, controller);
  } catch {
    // A network error, a silent connection, or a refusal (503 when the server has too many streams): try again below.
  }
  if ((controller.signal.aborted && controller.signal.reason !== STALLED) || state.controller !== controller) return;
  state.controller = null;
  showState('connecting');
  state.failures += 1;
  // Doubling from the server's retry after the first failure, with some spread so that many tabs do not return at
  // the same moment after a restart.
  const wait = Math.min(MAX_RETRY_MS, state.retryMs * 2 ** Math.max(0, state.failures - 1)) * (0.8 + Math.random() * 0.4);
  state.timer = setTimeout(() => {
    state.timer = null;
    if (state.token === token) void connect(token);
  }, wait);
}

/**
 * Reads SSE frames (the WHATWG event-stream format) until the stream ends, or stays silent too long.
 * @param {ReadableStream<Uint8Array>} body
 * @param {AbortController} controller
 */
async function readStream(body, controller) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let frame = newFrame();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let silence;
  try {
    for (;;) {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(STALLED), SILENCE_MS);
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      // A \r at the very end may be the first half of a \r\n: it waits for the next piece.
      const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
      // The last piece is an unfinished line (empty right after a line break).
      buffer = /** @type {string} */ (lines.pop()) + buffer.slice(cut);
      for (const line of lines) {
        if (line === '') {
          deliver(frame);
          frame = newFrame();
        } else {
          readLine(frame, line);
        }
      }
      // A stream that carries data works: the next failure starts the backoff over.
      state.failures = 0;
    }
  } finally {
    clearTimeout(silence);
  }
}

/** @returns {{ event: string, data: string[], id: string | null }} */
function newFrame() {
  return { event: '', data: [], id: null };
}

/**
 * @param {ReturnType<typeof newFrame>} frame
 * @param {string} line
 */
function readLine(frame, line) {
  if (line.startsWith(':')) return; // a comment: the keep-alive
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) value = value.slice(1);
  if (field === 'data') frame.data.push(value);
  else if (field === 'event') frame.event = value;
  else if (field === 'id' && !value.includes('\0')) frame.id = value;
  else if (field === 'retry' && /^\d+$/.test(value)) state.retryMs = Number(value);
}

/** @param {ReturnType<typeof newFrame>} frame */
function deliver(frame) {
  if (frame.id !== null) state.lastEventId = frame.id;
  if (!frame.data.length) return;
  let data;
  try {
    data = JSON.parse(frame.data.join('\n'));
  } catch {
    return;
  }
  dispatch(frame.event || 'message', data);
}

/**
 * Runs `fn` once for a burst of calls: at most one run every `ms`, and once more after a run if called during
 * it, so that the last change is always shown. For re-fetching a page's data on events.
 * @param {() => Promise<unknown> | unknown} fn
 * @param {number} [ms]
 * @returns {{ schedule(): void, cancel(): void }}
 */
export function coalesce(fn, ms = 300) {
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let running = false;
  let pending = false;
  let cancelled = false;
  const run = async () => {
    timer = null;
    if (cancelled) return;
    running = true;
    pending = false;
    try {
      await fn();
    } catch {
      // The page stays as it was; the next event tries again.
    } finally {
      running = false;
    }
    if (pending && !cancelled) schedule();
  };
  function schedule() {
    if (cancelled) return;
    if (running) {
      pending = true;
      return;
    }
    timer ??= setTimeout(run, ms);
  }
  return {
    schedule,
    cancel() {
      cancelled = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
