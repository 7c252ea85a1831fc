// Finds photo objects that no row refers to (left by a crash or a store failure between "object
// stored" and "row committed") and removes them. Only objects older than a grace period are touched,
// so that an upload in flight here or in another instance never loses its object before its commit.
import type { FastifyBaseLogger } from 'fastify';
import { PHOTO_OBJECT_PREFIXES } from '../photos/store-photos.js';
import type { ObjectStore } from './object-store.js';

export const DEFAULT_GRACE_MS = 10 * 60_000;

export interface ReconcileOptions {
  /** Objects younger than this are never removed. */
  graceMs?: number;
  /** List and report only. */
  dryRun?: boolean;
  now?: () => number;
  signal?: AbortSignal;
}

export interface ReconcileReport {
  scanned: number;
  /** Objects without a row and older than the grace period (removed unless dryRun). */
  orphans: number;
  removed: number;
  /** Objects without a row but still within the grace period (possibly an upload in flight). */
  young: number;
}

export interface ReconcileDeps {
  store: ObjectStore;
  /** True when a photo row refers to the key (as its object, thumbnail or display copy). */
  keyHasRow(key: string): Promise<boolean>;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
}

const BATCH = 500;

export async function reconcileObjects(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const now = options.now ?? Date.now;
  const report: ReconcileReport = { scanned: 0, orphans: 0, removed: 0, young: 0 };
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (!options.dryRun) {
      await deps.store.remove(batch);
      report.removed += batch.length;
    }
    batch = [];
  };

  // Only the prefixes the photo pipeline writes under: anything else in the bucket is left alone.
  for (const prefix of PHOTO_OBJECT_PREFIXES) {
    for await (const object of deps.store.list(prefix)) {
      options.signal?.throwIfAborted();
      report.scanned += 1;
      if (await deps.keyHasRow(object.key)) continue;
      // An upload commits its row within seconds of storing its object: one older than the grace
      // period with no row will never get one.
      if (now() - object.lastModified.getTime() < graceMs) {
        report.young += 1;
        continue;
      }
      report.orphans += 1;
      batch.push(object.key);
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  // Counts only: keys are random, but there is no reason to log them.
  if (report.orphans > 0 || report.young > 0) deps.log.warn({ reconcile: report }, 'orphan photo objects found');
  else deps.log.info({ reconcile: report }, 'object store reconciled: no orphans');
  return report;
}
