import pg from 'pg';
import { measureClaims, measureList, seedQueuePostgres } from './claims.js';
import { send } from './http-client.js';
import { withPostgresService } from './postgres.js';
import { clinicianToken } from './service.js';
const progress = (l: string) => process.stderr.write(`[try] ${l}\n`);
await withPostgresService(async ({ service, url }) => {
  const ref = await clinicianToken(service);
  const seeded = await seedQueuePostgres(url, ref.userId, 100_000, 421);
  progress(`seed ${Math.round(seeded.seedMs)} ms`);
  if (process.env.EXTRA) {
    const c = new pg.Client({ connectionString: url }); await c.connect();
    const t0 = performance.now(); await c.query(process.env.EXTRA); progress(`${process.env.EXTRA} ${Math.round(performance.now() - t0)} ms`); await c.end();
  }
  const c = await measureClaims(service, seeded.reviewerTokens.slice(0, 211), 200);
  progress(`claims p50 ${c.p50Ms.toFixed(1)} p99 ${c.p99Ms.toFixed(1)} ${JSON.stringify(c.statuses)} errors ${c.errors} top ${c.latenciesMs.slice(-8).map((x) => x.toFixed(0)).join(',')}`);
  // in order
  const seq: number[] = [];
  for (const t of seeded.reviewerTokens.slice(211, 411)) { const t0 = performance.now(); await send(service.baseUrl, 'POST', '/api/v1/queues/general/claim', { authorization: `Bearer ${t}` }); seq.push(performance.now() - t0); }
  progress(`sequence: ${seq.map((x) => x.toFixed(0)).join(' ')}`);
  const l = await measureList(service, ref.token, 40);
  progress(`list referrer p50 ${l.p50Ms.toFixed(1)} p99 ${l.p99Ms.toFixed(1)} errors ${l.errors}`);
}, progress);
