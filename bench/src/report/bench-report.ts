import type { BullResult } from '../baselines/bullmq';
import type { RawPgResult } from '../baselines/raw-pg';
import type { GateResult } from '../gate/integrity-gate';
import type { StepVerdict } from '../measure/rate-search';
import { LatencySummary, quantiles101, summarize } from '../measure/stats';
import type { Profile } from '../profiles';
import type { DrainResult } from '../scenario/dispatch-drain';
import type { IngestFigures } from '../scenario/ingest';
import { LoadResult, PhaseCpu, deliveryLatencies } from '../scenario/load-phase';
import type { RebuildResult } from '../scenario/projection-rebuild';
import type { ProfileSummary } from './cpu-profile';
import type { ServicePauses } from '../measure/runtime-pauses';

// Everything one run measured, as written to bench/results/<run id>.json and rendered by markdown.ts and charts.ts.

export interface SearchStepReport extends StepVerdict {
  messagesPerSecond: number;
  offeredPerSecond: number;
  restP99Ms: number;
  latencyP99Ms: number;
  /** CPU milliseconds per delivered delivery, per process, over the step (and its drain). */
  cpuMsPerDelivery: Record<string, number>;
  /** Cores busy on the whole machine during the step, and the part the run's own processes account for. */
  machineBusyCores: number;
  runBusyCores: number;
  /** How long after its drain the read models caught up, ms (null: not within the bound; absent in older runs). */
  readModelCatchUpMs?: number | null;
}

export interface LatencyReport {
  messagesPerSecond: number;
  offeredPerSecond: number;
  fractionOfMax: number;
  delivered: number;
  expected: number;
  /** Scheduled send → first byte at the receiver. */
  endToEnd: LatencySummary;
  /** Scheduled send → 202 from the command service. */
  rest: LatencySummary;
  /** 202 → first byte at the receiver (negative when the webhook beat the 202 back to the client). */
  acceptedToDelivered: LatencySummary;
  /** The generator's own lateness: scheduled → actually sent. */
  generatorLag: LatencySummary;
  /** What stalled each service during the phase (its drain included), from its /metrics; the 50 % phase only. */
  servicePauses?: ServicePauses[];
  /** How long after its drain the read models caught up, ms (null: not within the bound; absent in older runs). */
  readModelCatchUpMs?: number | null;
  cdf: number[];
}

export interface BenchReport {
  runId: string;
  profile: Profile;
  startedAt: string;
  durationSeconds: number;
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string; loadAverageAtStart: number[] };
  gate: GateResult;
  baselines: {
    rawHttp: { requestsPerSecond: number; errors: number; total: number } | null;
    /** raw undici again, after the drains (absent in runs before it was added): the ratios use the better of the two. */
    rawHttpAfter?: { requestsPerSecond: number; errors: number; total: number } | null;
    rawPg: RawPgResult | null;
    /** raw pg again, right after the rebuild (absent in runs before it was added): the rebuild ratio uses the mean of both. */
    rawPgAfter?: RawPgResult | null;
    bullmq: BullResult | null;
    ingest: IngestFigures;
  };
  search: { steps: SearchStepReport[]; maxMessagesPerSecond: number | null; maxDeliveredPerSecond: number | null };
  /**
   * CPU milliseconds per delivery of each design, all of its processes counted (load generator and receiver included,
   * the harness not): less sensitive to other work on the machine than throughput.
   */
  cpuPerDelivery: { hookline: number | null; rawHttp: number | null; bullmq: number | null; hooklineProcesses: string[] };
  latency: { half: LatencyReport | null; high: LatencyReport | null };
  readModelLag: { samples: number; unseen: number; lagMs: LatencySummary | null; maxRecordLag: number | null; pollMs: number } | null;
  isolation: {
    fastRate: number;
    slowRate: number;
    slowMaxInFlight: number;
    soloDeliveredPerSecond: number;
    mixedDeliveredPerSecond: number;
    ratio: number;
    soloP99Ms: number;
    mixedP99Ms: number;
    soloCdf: number[];
    mixedCdf: number[];
    slowDeliveredPerSecond: number;
  } | null;
  /** The dispatcher alone draining a backlog published while its process was stopped (query service paused meanwhile). */
  drain: DrainResult | null;
  /** The same after the dispatcher was shut down and started again: it drains while V8 compiles its code. */
  drainRestarted?: DrainResult | null;
  projection: { rebuild: RebuildResult | null; error?: string };
  processes: { intervals: PhaseCpu[]; totals: Array<{ name: string; cpuSeconds: number; peakRssBytes: number }>; loadPhaseCpu: Array<{ name: string; cpuSeconds: number }> };
  timeline: { from: number; bucketMs: number; accepted: number[]; delivered: number[]; raw: number[]; bull: number[]; phases: Array<{ name: string; from: number; to: number }> };
  errors: string[];
  serviceLogs: string;
  /** With --cpu-prof: where each service's CPU went during the rate search and latency phases. */
  cpuProfiles?: Record<string, ProfileSummary>;
}

export function latencyReport(load: LoadResult, fractionOfMax: number, rate: number): LatencyReport {
  const e2e = deliveryLatencies(load.deliveries);
  return {
    messagesPerSecond: rate,
    offeredPerSecond: load.offeredPerSecond,
    fractionOfMax,
    delivered: e2e.length,
    expected: load.deliveries.length,
    endToEnd: summarize(e2e),
    rest: summarize(load.restLatencies),
    acceptedToDelivered: summarize(deliveryLatencies(load.deliveries, 'accepted')),
    generatorLag: summarize(load.sendLag),
    readModelCatchUpMs: load.readModelCatchUpMs,
    cdf: quantiles101(e2e),
  };
}
