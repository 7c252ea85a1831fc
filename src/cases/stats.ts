// The definitions behind GET /stats, as plain functions, so that the SQL computing them can be checked in tests.
//
// - minutes to first opinion: from the case's creation to its earliest opinion.
// - minutes to answer: from the case's creation to the first time it became `answered`.
// - median and p90 of those, over the cases in the period that have reached that point, by
//   linear interpolation between the closest ranks (PostgreSQL's percentile_cont, Excel's
//   PERCENTILE.INC, NumPy's default): p90 of [10, 20, 30, 40] is 37, not 40.
// - an empty set has no percentile (null), rather than a misleading 0.

/** Minutes between two instants, fractional; negative when `end` precedes `start`. */
export function minutesBetween(start: Date | string | number, end: Date | string | number): number {
  return (new Date(end).getTime() - new Date(start).getTime()) / 60_000;
}

/**
 * The p-quantile (0 <= p <= 1) of ascending values by linear interpolation: rank r = p * (n - 1),
 * result v[floor r] + (r - floor r) * (v[ceil r] - v[floor r]).
 */
export function percentile(sortedValues: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be within 0..1, got ${p}`);
  const n = sortedValues.length;
  if (n === 0) return null;
  // Interpolating over unsorted input returns a plausible but wrong figure, so refuse it loudly.
  for (let i = 1; i < n; i++) {
    if (!(sortedValues[i - 1]! <= sortedValues[i]!)) throw new RangeError('percentile needs values sorted ascending, without NaN');
  }
  const rank = p * (n - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sortedValues[lower]!;
  return low + (rank - lower) * (sortedValues[upper]! - low);
}

/** Median of any values (sorted here): the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | null {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}
