import { describe, expect, it } from 'vitest';
import { median, minutesBetween, percentile } from '../../../src/cases/stats.js';

describe('percentile (linear interpolation, as percentile_cont)', () => {
  it('interpolates between the closest ranks', () => {
    // rank = 0.9 * 3 = 2.7 -> 30 + 0.7 * (40 - 30)
    expect(percentile([10, 20, 30, 40], 0.9)).toBeCloseTo(37);
    // rank = 0.5 * 3 = 1.5 -> 20 + 0.5 * 10
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    // rank = 0.9 * 9 = 8.1 -> 9 + 0.1 * (100 - 9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9)).toBeCloseTo(18.1);
  });

  it('returns the extremes at 0 and 1 and the only value of a single-element set', () => {
    expect(percentile([3, 8, 13], 0)).toBe(3);
    expect(percentile([3, 8, 13], 1)).toBe(13);
    expect(percentile([42], 0.9)).toBe(42);
  });

  it('has no value for an empty set', () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it('refuses p outside 0..1 and unsorted input', () => {
    expect(() => percentile([1, 2], 90)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
    expect(() => percentile([3, 1, 2], 0.5)).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value of an odd count, sorting first', () => {
    expect(median([50, 10, 30])).toBe(30);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([40, 10, 20, 35])).toBe(27.5);
  });

  it('has no value for an empty set', () => {
    expect(median([])).toBeNull();
  });
});

describe('minutesBetween', () => {
  it('gives fractional minutes between two instants', () => {
    expect(minutesBetween('2025-03-01T08:00:00Z', '2025-03-01T09:30:30Z')).toBe(90.5);
    expect(minutesBetween(new Date('2025-03-01T08:00:00Z'), new Date('2025-03-01T07:59:00Z'))).toBe(-1);
  });
});
