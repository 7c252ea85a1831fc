// Timing helpers for the benchmark: run N jobs at a given concurrency, and summarise their latencies.

export interface RunResult {
  concurrency: number;
  count: number;
  errors: number;
  wallMs: number;
  /** Completed jobs per second of wall time. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The first few distinct error descriptions, for the report. */
  errorSamples: string[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest rank: with few samples p99 is the slowest one, which is the honest reading.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Runs job(0..count-1), keeping `concurrency` in flight. A job that throws counts as an error;
 * its latency is still recorded.
 */
export async function runAtConcurrency(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<RunResult> {
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const t0 = performance.now();
      try {
        await job(index);
      } catch (err) {
        errors += 1;
        if (errorSamples.size < 5) errorSamples.add(err instanceof Error ? err.message : String(err));
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    count,
    errors,
    wallMs,
    perSecond: (count - errors) / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errorSamples: [...errorSamples],
  };
}
