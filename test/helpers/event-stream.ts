// A Server-Sent Events client for tests: reads GET /api/v1/events over fetch (as the web app does, since an
// EventSource cannot send the bearer token) and keeps every event it parsed.
import { waitUntil } from './wait.js';

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

export interface EventStream {
  status: number;
  contentType: string | null;
  events: StreamEvent[];
  /** Raw text received (comments, retry line). */
  text(): string;
  /** Whether the server has ended the stream. */
  ended(): boolean;
  /** Resolves with the first event (from now on, or already received) that matches; rejects after `ms`. */
  next(match: (e: StreamEvent) => boolean, ms?: number): Promise<StreamEvent>;
  close(): void;
}

export async function openEventStream(baseUrl: string, token: string, lastEventId?: string): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  const events: StreamEvent[] = [];
  let raw = '';
  let ended = false;
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const text = decoder.decode(chunk, { stream: true });
          raw += text;
          buffer += text;
          for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
            const frame: { id?: string; event: string; data: string } = { event: 'message', data: '' };
            for (const line of buffer.slice(0, end).split('\n')) {
              const m = /^(id|event|data): ?(.*)$/.exec(line);
              if (m) frame[m[1] as 'id' | 'event' | 'data'] = m[2]!;
            }
            if (frame.data) events.push({ id: frame.id, event: frame.event, data: JSON.parse(frame.data) as Record<string, unknown> });
          }
        }
      } catch {
        // Closed by the test.
      }
      ended = true;
    })();
  } else {
    await res.body?.cancel();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    text: () => raw,
    ended: () => ended,
    async next(match, ms = 5000) {
      let found: StreamEvent | undefined;
      await waitUntil(() => (found = events.find(match)) !== undefined, 'an event arrives on the stream', ms);
      return found!;
    },
    close: () => controller.abort(),
  };
}
