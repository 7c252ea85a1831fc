import { describe, expect, it } from 'vitest';
import { shedsRequest } from '../../src/plugins/external.js';

describe('shedding under pressure', () => {
  const limits = { maxEventLoopDelay: 1000, sampleInterval: 1000 };

  it('sheds on a measured delay, a heap near its limit, or a stall as long as the sample interval', () => {
    expect(shedsRequest('eventLoopDelay', 1500, limits)).toBe(true);
    expect(shedsRequest('heapUsedBytes', 3e9, limits)).toBe(true);
    // No sample in a whole interval: the loop was busy for ~1 s, the limit.
    expect(shedsRequest('eventLoopDelay', Number.POSITIVE_INFINITY, limits)).toBe(true);
  });

  it('does not read a missed sample as a delay over a limit longer than the interval', () => {
    expect(shedsRequest('eventLoopDelay', Number.POSITIVE_INFINITY, { maxEventLoopDelay: 60_000, sampleInterval: 1000 })).toBe(false);
  });
});
