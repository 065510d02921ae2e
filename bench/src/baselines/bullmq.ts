import { Queue } from 'bullmq';
import { sleep, wallMs } from '../measure/clock';
import { Worker, startWorker } from '../processes/ipc';

export interface BullResult {
  deliveredPerSecond: number;
  delivered: number;
  seconds: number;
  producedJobs: number;
  /** Deliveries over the whole baseline, warm-up included (for CPU per delivery). */
  totalDelivered: number;
}

export type SeriesReader = () => Promise<{ epoch: number; bucketMs: number; series: Record<string, number[]> }>;

/** Deliveries per second of receiver route `kind` between two wall times, from the receiver's 2xx buckets. */
export async function rateBetween(series: SeriesReader, kind: string, from: number, to: number): Promise<{ count: number; perSecond: number }> {
  const s = await series();
  const buckets = s.series[kind] ?? [];
  const first = Math.ceil((from - s.epoch) / s.bucketMs);
  const last = Math.floor((to - s.epoch) / s.bucketMs);
  let count = 0;
  for (let i = first; i < last; i++) count += buckets[i] ?? 0;
  const seconds = ((last - first) * s.bucketMs) / 1000;
  return { count, perSecond: seconds > 0 ? count / seconds : 0 };
}

/**
 * The conventional Node design on the same machine and receiver: a producer process enqueues one BullMQ job per
 * delivery as fast as a bounded backlog allows, a worker process (concurrency `concurrency`) signs and POSTs each.
 * The delivered rate is taken from the receiver over the run minus its first half second.
 */
export async function bullBaseline(opts: {
  redisUrl: string;
  runId: string;
  generator: Worker;
  receiverUrl: string;
  series: SeriesReader;
  durationMs: number;
  concurrency: number;
  endpoints: number;
  onWorker?: (pid: number) => void;
}): Promise<BullResult> {
  const queueName = `hookline-bench-${opts.runId}`;
  const worker = await startWorker('bull-worker', 'bull-worker.process.ts');
  opts.onWorker?.(worker.pid);
  try {
    await worker.call('start', { redisUrl: opts.redisUrl, queueName, concurrency: opts.concurrency, receiverUrl: opts.receiverUrl });
    const started = wallMs();
    const produced = await opts.generator.call<{ jobs: number }>('bullProduce', {
      redisUrl: opts.redisUrl, queueName, durationMs: opts.durationMs, concurrency: 16, maxBacklog: 2000, endpoints: opts.endpoints,
    }, opts.durationMs + 60_000);
    const ended = wallMs();
    await sleep(300);
    // The first half second is start-up (connections, the first jobs); the rest is steady state.
    const { count, perSecond } = await rateBetween(opts.series, 'bull', started + 500, ended);
    await worker.call('stop');
    const all = await rateBetween(opts.series, 'bull', started - 1000, wallMs());
    return { deliveredPerSecond: perSecond, delivered: count, seconds: (ended - started - 500) / 1000, producedJobs: produced.jobs, totalDelivered: all.count };
  } finally {
    await worker.stop();
    const queue = new Queue(queueName, { connection: { url: opts.redisUrl, maxRetriesPerRequest: null } });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
