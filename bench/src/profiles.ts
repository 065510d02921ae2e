import { SearchOptions } from './measure/rate-search';

/** Sizes and durations of a run. `full` fits in 10 minutes on a 2-core machine, `quick` in 2. */
export interface Profile {
  name: 'full' | 'quick';
  mainTenants: number;
  endpointsPerTenant: number;
  /** Requests in flight for the closed-loop baselines (raw POSTs, BullMQ worker, raw producer). */
  concurrency: number;
  /** Keep-alive connections of the generator to the command service. */
  generatorConnections: number;
  baselineMs: number;
  search: SearchOptions;
  stepMs: number;
  /** Longest wait for a step's deliveries before the next step. */
  stepDrainMs: number;
  latencyMs: number;
  isolationMs: number;
  /**
   * The 250 ms endpoint's max_in_flight: it can then take slowMaxInFlight / 0.25 s deliveries per second, and is
   * offered 1.5 times that (a small budget keeps the saturating load well inside a 2-core machine's capacity).
   */
  slowMaxInFlight: number;
  /** The warm-up phase: every tenant at a low rate, until the dispatcher delivers to every endpoint. */
  warmUpMs: number;
  /** Integrity probes: messages to a tenant whose endpoints fail once (flaky) and always (dead). */
  retryProbeMessages: number;
  finalDrainMs: number;
  /** How long the backlog for the dispatcher drain is published (with the dispatcher stopped). */
  drainPublishMs: number;
  /** Rebuild the read models from the log to measure projection throughput. */
  rebuild: boolean;
}

export const PROFILES: Record<Profile['name'], Profile> = {
  full: {
    name: 'full',
    mainTenants: 4,
    endpointsPerTenant: 2,
    concurrency: 64,
    generatorConnections: 64,
    baselineMs: 8000,
    search: { startRate: 150, growth: 1.6, precision: 0.06, maxSteps: 8, minRate: 10 },
    stepMs: 15_000,
    stepDrainMs: 15_000,
    latencyMs: 20_000,
    isolationMs: 15_000,
    slowMaxInFlight: 4,
    warmUpMs: 3000,
    retryProbeMessages: 20,
    finalDrainMs: 30_000,
    drainPublishMs: 12_000,
    rebuild: true,
  },
  quick: {
    name: 'quick',
    mainTenants: 4,
    endpointsPerTenant: 2,
    concurrency: 64,
    generatorConnections: 64,
    baselineMs: 2000,
    search: { startRate: 100, growth: 1.6, precision: 0.3, maxSteps: 3, minRate: 10 },
    stepMs: 3500,
    stepDrainMs: 5000,
    latencyMs: 3500,
    isolationMs: 3500,
    slowMaxInFlight: 4,
    warmUpMs: 2000,
    retryProbeMessages: 10,
    finalDrainMs: 8000,
    drainPublishMs: 4000,
    rebuild: true,
  },
};
