// The service's one source of "now". Everything that stamps or compares times (sessions, claims, links,
// the audit trail, stats) reads it, so that tests can move time forward instead of waiting for it.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
