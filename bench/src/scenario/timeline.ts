import type { SeriesReader } from '../baselines/bullmq';
import { deliveryKey } from '../gate/integrity-gate';
import { wallMs } from '../measure/clock';
import type { BenchReport } from '../report/bench-report';
import type { RunContext } from './load-phase';

/** Accepted and delivered per second over the whole run (and the baselines' requests), for the throughput chart. */
export async function timeline(ctx: RunContext, series: SeriesReader, from: number): Promise<BenchReport['timeline']> {
  const bucketMs = 1000;
  const to = wallMs();
  const n = Math.ceil((to - from) / bucketMs);
  const accepted = new Array<number>(n).fill(0);
  const delivered = new Array<number>(n).fill(0);
  for (const m of ctx.ledger.messages.values()) {
    const i = Math.floor((m.acceptedAt - from) / bucketMs);
    if (i >= 0 && i < n) accepted[i]++;
  }
  const seen = new Set<string>();
  for (const r of ctx.ledger.requests) {
    if (r.status < 200 || r.status > 299) continue;
    const k = deliveryKey(r.endpointId, r.webhookId);
    if (seen.has(k)) continue;
    seen.add(k);
    const i = Math.floor((r.at - from) / bucketMs);
    if (i >= 0 && i < n) delivered[i]++;
  }
  const s = await series();
  const rebucket = (kind: string) => {
    const out = new Array<number>(n).fill(0);
    (s.series[kind] ?? []).forEach((c, j) => {
      const i = Math.floor((s.epoch + j * s.bucketMs - from) / bucketMs);
      if (i >= 0 && i < n) out[i] += c;
    });
    return out;
  };
  const phases = ctx.intervals.filter((i) => !i.name.startsWith('before ')).map((i) => ({ name: i.name, from: i.from, to: i.to }));
  return { from, bucketMs, accepted, delivered, raw: rebucket('raw'), bull: rebucket('bull'), phases };
}
