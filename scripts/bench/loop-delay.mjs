// Preloaded into the service by scripts/bench/profile.ts (node --import): samples the event loop's
// delay for the life of the process and writes a summary line to stderr when it exits.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on('exit', () => {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.stderr.write(
    `${JSON.stringify({ eventLoopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) } })}\n`,
  );
});
