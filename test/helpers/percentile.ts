// The reference definition of the percentiles GET /stats reports, written independently of the SQL that
// computes them: linear interpolation between the closest ranks (PostgreSQL's percentile_cont, Excel's
// PERCENTILE.INC, NumPy's default), rank r = p * (n - 1), value v[floor r] + (r - floor r)(v[ceil r] - v[floor r]).

export function percentile(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const rank = p * (n - 1);
  const lower = Math.floor(rank);
  const low = sorted[lower]!;
  return low + (rank - lower) * (sorted[Math.ceil(rank)]! - low);
}
