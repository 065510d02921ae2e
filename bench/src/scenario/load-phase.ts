import { wallMs, sleep } from '../measure/clock';
import { ProcessTracker, GroupUsage } from '../measure/proc-stats';
import type { PublishLog } from '../processes/generator.process';
import type { Worker } from '../processes/ipc';
import { DeliveryRecord, Ledger, MessageRecord } from './ledger';
import { BenchTenant } from './setup';
import { waitForReadModels } from './read-model-catch-up';

export interface PhaseCpu {
  name: string;
  from: number;
  to: number;
  machineBusySeconds: number;
  groups: GroupUsage[];
}

/** What every phase needs: the processes, the ledger, and where the CPU marks go. */
export interface RunContext {
  commandUrl: string;
  generator: Worker;
  receiver: Worker;
  ledger: Ledger;
  tracker: ProcessTracker;
  intervals: PhaseCpu[];
  generatorConnections: number;
  nextSeq: number;
  intervalStart: number;
  /** Records the read models still have to project (null: no answer); absent when the run has no query service. */
  projectionBacklog?: () => Promise<number | null>;
  log(msg: string): void;
}

/** Closes the current CPU interval under `name` (everything since the previous mark). */
export function markInterval(ctx: RunContext, name: string): PhaseCpu {
  const usage = ctx.tracker.mark();
  const to = wallMs();
  const interval = { name, from: ctx.intervalStart, to, machineBusySeconds: usage.machineBusySeconds, groups: usage.groups };
  ctx.intervals.push(interval);
  ctx.intervalStart = to;
  return interval;
}

/** What a phase's processes cost: CPU ms per delivery of each group that was busy (NaN when nothing arrived), and the cores busy. */
export function cpuPerDelivery(interval: PhaseCpu, deliveries: number): { cpuMsPerDelivery: Record<string, number>; machineBusyCores: number; runBusyCores: number } {
  const seconds = (interval.to - interval.from) / 1000;
  const cpuMsPerDelivery: Record<string, number> = {};
  let runCpu = 0;
  for (const g of interval.groups) {
    if (g.cpuSeconds > 0) cpuMsPerDelivery[g.name] = deliveries ? (g.cpuSeconds * 1000) / deliveries : NaN;
    runCpu += g.cpuSeconds;
  }
  return { cpuMsPerDelivery, machineBusyCores: interval.machineBusySeconds / seconds, runBusyCores: runCpu / seconds };
}

export interface LoadStream {
  rate: number;
  tenants: BenchTenant[];
}

export interface LoadOptions {
  durationMs: number;
  /** Longest wait for the phase's deliveries after its last scheduled send. */
  drainMs: number;
  /** Only these deliveries need to arrive for the drain to end (default: all). */
  drainUntil?: (d: DeliveryRecord) => boolean;
  /** Every n-th accepted message is announced (for the read-model lag sampler). */
  sampleEvery?: number;
  onAccepted?: (sampled: Array<[string, number]>) => void;
}

export interface LoadResult {
  phase: string;
  startAt: number;
  endAt: number;
  /** Deliveries offered per second (messages/s × fan-out, summed over streams). */
  offeredPerSecond: number;
  accepted: MessageRecord[];
  scheduled: number;
  failed: number;
  deliveries: DeliveryRecord[];
  /** Scheduled send → 202 answer, ms. */
  restLatencies: number[];
  /** Scheduled → actual send, ms (the generator's own lateness). */
  sendLag: number[];
  /** How long the read models took to catch up after the drain, ms (null: not within the bound, or no query service). */
  readModelCatchUpMs: number | null;
  cpu: PhaseCpu;
}

/** Longest wait, after a phase's drain, for the read models to catch up before the phase ends. */
const READ_MODEL_CATCH_UP_MS = 60_000;

/** Runs one open-model phase: constant-rate streams for durationMs, then waits for the deliveries (bounded). */
export async function runLoad(ctx: RunContext, phase: string, streams: LoadStream[], opts: LoadOptions): Promise<LoadResult> {
  markInterval(ctx, `before ${phase}`);
  const startAt = wallMs() + 300;
  const listener = opts.onAccepted;
  const args = {
    baseUrl: ctx.commandUrl,
    streams: streams.map((s) => ({ rate: s.rate, targets: s.tenants.map((t) => ({ tenantId: t.tenantId, apiKey: t.apiKey })) })),
    startAt,
    durationMs: opts.durationMs,
    connections: ctx.generatorConnections,
    seqBase: ctx.nextSeq,
    sampleEvery: opts.sampleEvery ?? 0,
  };
  const unsubscribe = listener ? ctx.generator.on('accepted', (d) => listener(d as Array<[string, number]>)) : () => undefined;
  const log = await ctx.generator.call<PublishLog>('publish', args, opts.durationMs + 120_000).finally(unsubscribe);
  ctx.nextSeq += log.scheduledAt.length;
  const { accepted, failed, scheduled } = ctx.ledger.addPublishes(phase, streams, log);
  await waitForArrivals(ctx, accepted, wallMs() + opts.drainMs, { pollMs: 250, which: opts.drainUntil });
  // The phase's CPU interval includes the projection of its events, and the next phase starts on a settled machine.
  const readModelCatchUpMs = ctx.projectionBacklog ? await waitForReadModels(ctx.projectionBacklog, READ_MODEL_CATCH_UP_MS) : null;
  if (ctx.projectionBacklog && readModelCatchUpMs === null) ctx.log(`  ${phase}: the read models had not caught up ${READ_MODEL_CATCH_UP_MS / 1000} s after the drain`);
  const endAt = startAt + opts.durationMs;
  const cpu = markInterval(ctx, phase);
  const sendLag: number[] = [];
  for (let i = 0; i < log.sentAt.length; i++) sendLag.push(log.sentAt[i] - log.scheduledAt[i]);
  const offeredPerSecond = streams.reduce((sum, s) => sum + s.rate * (s.tenants[0]?.endpoints.length ?? 0), 0);
  return {
    phase,
    startAt,
    endAt,
    offeredPerSecond,
    accepted,
    scheduled,
    failed,
    deliveries: ctx.ledger.deliveriesOf(accepted),
    restLatencies: accepted.map((m) => m.acceptedAt - m.scheduledAt),
    sendLag,
    readModelCatchUpMs,
    cpu,
  };
}

/**
 * Pulls the receiver's arrivals into the ledger until every delivery of `accepted` (those `which` picks) has arrived, or
 * the wall time `deadline` has passed, looking again every `pollMs`.
 */
export async function waitForArrivals(
  ctx: RunContext,
  accepted: MessageRecord[],
  deadline: number,
  { pollMs, which = () => true }: { pollMs: number; which?: (d: DeliveryRecord) => boolean },
): Promise<void> {
  for (;;) {
    await ctx.ledger.pull(ctx.receiver);
    if (ctx.ledger.undelivered(accepted).filter(which).length === 0 || wallMs() > deadline) return;
    await sleep(pollMs);
  }
}

/** Scheduled send (or, with `accepted`, the 202 back at the generator) → first 2xx at the receiver, ms, of the deliveries that arrived. */
export function deliveryLatencies(deliveries: DeliveryRecord[], from: 'scheduled' | 'accepted' = 'scheduled'): number[] {
  const out: number[] = [];
  for (const d of deliveries) {
    if (d.arrivedAt !== null) out.push(d.arrivedAt - (from === 'scheduled' ? d.message.scheduledAt : d.message.acceptedAt));
  }
  return out;
}
