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
  /** Every job's latency, ascending. */
  latenciesMs: number[];
}

/**
 * The median as usually defined: the middle value, or the mean of the two middle values of an even
 * count. (With the benchmark's photo mix, half of the photos are quicker than the other half, so the
 * lower middle value alone would be the slowest of one photo's few runs: an extreme, not a middle.)
 */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest rank: with few samples p99 is the slowest one, which is the honest reading.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Latencies and errors of one series of jobs. */
class Series {
  private readonly latencies: number[] = [];
  private readonly errorSamples = new Set<string>();
  private errors = 0;

  async time(job: () => Promise<void>): Promise<void> {
    const t0 = performance.now();
    try {
      await job();
    } catch (err) {
      this.errors += 1;
      if (this.errorSamples.size < 5) this.errorSamples.add(err instanceof Error ? err.message : String(err));
    }
    this.latencies.push(performance.now() - t0);
  }

  result(concurrency: number, wallMs: number): RunResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const count = sorted.length;
    return {
      concurrency,
      count,
      errors: this.errors,
      wallMs,
      perSecond: (count - this.errors) / (wallMs / 1000),
      p50Ms: median(sorted),
      p99Ms: percentile(sorted, 99),
      errorSamples: [...this.errorSamples],
      latenciesMs: sorted,
    };
  }

  get totalMs(): number {
    return this.latencies.reduce((a, b) => a + b, 0);
  }
}

/**
 * Runs job(0..count-1), keeping `concurrency` in flight. A job that throws counts as an error;
 * its latency is still recorded.
 */
export async function runAtConcurrency(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<RunResult> {
  const series = new Series();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await series.time(() => job(index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return series.result(concurrency, performance.now() - started);
}

/** Two runs at the same concurrency as one: their jobs, errors and wall times added up. */
export function combine(first: RunResult, second: RunResult): RunResult {
  const latenciesMs = [...first.latenciesMs, ...second.latenciesMs].sort((a, b) => a - b);
  const count = first.count + second.count;
  const errors = first.errors + second.errors;
  const wallMs = first.wallMs + second.wallMs;
  return {
    concurrency: first.concurrency,
    count,
    errors,
    wallMs,
    perSecond: (count - errors) / (wallMs / 1000),
    p50Ms: median(latenciesMs),
    p99Ms: percentile(latenciesMs, 99),
    errorSamples: [...new Set([...first.errorSamples, ...second.errorSamples])].slice(0, 5),
    latenciesMs,
  };
}

/**
 * Runs a(0), b(0), a(1), b(1), ... one at a time: two serial series measured in alternation, so that
 * a change in the machine's load during the run hits both alike. Between jobs the machine is left
 * idle for `settleMs`, so that the clean-up after one job (freeing its image memory, a garbage
 * collection) is not counted in the next. Each series' wall time is the sum of its own latencies.
 */
export async function runAlternating(count: number, a: (index: number) => Promise<void>, b: (index: number) => Promise<void>, settleMs = 50): Promise<[RunResult, RunResult]> {
  const first = new Series();
  const second = new Series();
  const settle = () => new Promise((resolve) => setTimeout(resolve, settleMs));
  for (let i = 0; i < count; i++) {
    await first.time(() => a(i));
    await settle();
    await second.time(() => b(i));
    await settle();
  }
  return [first.result(1, first.totalMs), second.result(1, second.totalMs)];
}
