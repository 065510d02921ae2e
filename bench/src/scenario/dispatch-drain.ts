import { wallMs } from '../measure/clock';
import { metricSamples } from '../measure/metrics-text';
import { percentile } from '../measure/stats';
import { Stack } from '../stack/stack';
import { DeliveryRecord } from './ledger';
import { RunContext, cpuPerDelivery, markInterval, runLoad, waitForArrivals } from './load-phase';
import { BenchTenant } from './setup';

export interface DrainResult {
  messages: number;
  deliveries: number;
  arrived: number;
  /** Deliveries per second between the 10th and the 90th percentile arrival (start-up and tail left out). */
  deliveredPerSecond: number;
  /** First to last arrival. */
  drainSeconds: number;
  /** CPU ms per delivery of the processes busy while the dispatcher drained. */
  cpuMsPerDelivery: Record<string, number>;
  /** Cores busy on the whole machine while it drained. */
  machineBusyCores: number;
  /** The dispatcher's own counters over the drain: attempts by trigger, parks by reason. */
  dispatcherCounters: Record<string, number>;
}

/**
 * How the dispatcher is kept from the backlog while it is published:
 * - `frozen`: its process is stopped (SIGSTOP) and continued (SIGCONT), so it drains with the code V8 compiled for it
 *   during the run, like a dispatcher that fell behind; the raw baseline and the floor's bare dispatcher are warm too.
 * - `restarted`: it is shut down and started again, so it drains while V8 still compiles its hot paths (in a 4 s drain,
 *   a quarter of its CPU went to the compiler threads), like a dispatcher restarted with a backlog waiting.
 */
export type DrainStart = 'frozen' | 'restarted';

export interface DrainOptions {
  /** Publish rate while the dispatcher is stopped (kept under what the command service accepts). */
  publishRate: number;
  publishMs: number;
  /** Longest wait for the backlog to be delivered. */
  timeoutMs: number;
  /** Profile the dispatcher while it drains (only in drain-only runs: the other phases profile it already). */
  cpuProfile?: boolean;
  start: DrainStart;
}

/**
 * The dispatcher's own throughput, the figure to hold against one raw undici process POSTing to the same receiver:
 * with the dispatcher held off (see DrainStart), a backlog of messages is published through the command service (the
 * real path), then the dispatcher drains it. The query service is paused (SIGSTOP) while it drains so the two designs
 * share the machine alike (its projection has a figure of its own; it catches up after SIGCONT, exactly once).
 */
export async function measureDispatchDrain(ctx: RunContext, stack: Stack, tenants: BenchTenant[], opts: DrainOptions): Promise<DrainResult> {
  const frozen = opts.start === 'frozen';
  const label = frozen ? 'drain' : 'drain after a restart';
  // Read at each use: a restart changes the dispatcher's pid.
  const dispatcher = () => stack.services.dispatcher;
  const resume = async () => {
    if (frozen) process.kill(dispatcher().pid, 'SIGCONT');
    else await stack.startAgain('dispatcher');
  };
  const before = frozen ? await dispatcherCounters(dispatcher().url) : {};
  if (frozen) process.kill(dispatcher().pid, 'SIGSTOP');
  else await stack.stopService('dispatcher');
  let backlog;
  try {
    backlog = await runLoad(ctx, `${label}: backlog`, [{ rate: opts.publishRate, tenants }], { durationMs: opts.publishMs, drainMs: 0 });
  } catch (err) {
    await resume();
    throw err;
  }
  const query = stack.services['query-service'].pid;
  process.kill(query, 'SIGSTOP');
  let cpu;
  let counters: Record<string, number> = {};
  try {
    await resume();
    // From ready on: a restarted dispatcher's start-up (compiling, joining, reading the config topic) is not per-delivery work.
    markInterval(ctx, `before ${label}: dispatch`);
    if (opts.cpuProfile) stack.toggleCpuProfiles('dispatcher');
    await waitForArrivals(ctx, backlog.accepted, wallMs() + opts.timeoutMs, { pollMs: 100 });
    cpu = markInterval(ctx, `${label}: dispatch`);
    if (opts.cpuProfile) stack.toggleCpuProfiles('dispatcher');
    const after = await dispatcherCounters(dispatcher().url);
    counters = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
  } finally {
    process.kill(query, 'SIGCONT');
  }

  const deliveries = ctx.ledger.deliveriesOf(backlog.accepted);
  const rate = arrivalRate(deliveries);
  const cost = cpuPerDelivery(cpu, rate.arrived);
  return {
    messages: backlog.accepted.length,
    deliveries: deliveries.length,
    ...rate,
    cpuMsPerDelivery: rate.arrived ? cost.cpuMsPerDelivery : {},
    machineBusyCores: cost.machineBusyCores,
    dispatcherCounters: counters,
  };
}

/**
 * How fast a backlog's deliveries arrived: per second between the 10th and the 90th percentile arrival (start-up and
 * tail left out), and first to last arrival.
 */
export function arrivalRate(deliveries: DeliveryRecord[]): { arrived: number; deliveredPerSecond: number; drainSeconds: number } {
  const arrivals = deliveries.flatMap((d) => (d.arrivedAt === null ? [] : [d.arrivedAt])).sort((a, b) => a - b);
  const middle = arrivals.length >= 10 ? percentile(arrivals, 0.9) - percentile(arrivals, 0.1) : 0;
  return {
    arrived: arrivals.length,
    deliveredPerSecond: middle > 0 ? (0.8 * arrivals.length) / (middle / 1000) : 0,
    drainSeconds: arrivals.length ? (arrivals[arrivals.length - 1] - arrivals[0]) / 1000 : 0,
  };
}

const COUNTERS = /^dispatcher_(attempts|parked)_total$/;

/** dispatcher_attempts_total and dispatcher_parked_total series from its /metrics, keyed by their label sets. */
async function dispatcherCounters(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const { name, labelText, value } of metricSamples(text, (n) => COUNTERS.test(n))) {
    out[`${name.replace(/^dispatcher_|_total$/g, '')}${labelText}`] = value;
  }
  return out;
}
