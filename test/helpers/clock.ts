// A clock the test moves forward by hand: the app reads "now" from it (BuildOptions.clock), so leases,
// sessions and links expire when the test says so, not after a wall-clock wait. Between jumps it runs with
// the wall clock, so events still get increasing times and their order stays the order they happened in.
import type { Clock } from '../../src/clock.js';

export class TestClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
