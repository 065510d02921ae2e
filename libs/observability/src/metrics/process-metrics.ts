import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** The event-loop delay statistics prom-client derives from Node's monitorEventLoopDelay histogram. */
const DELAY_STATS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;
type DelayStat = (typeof DELAY_STATS)[number];

// A timer period that never comes round (about 24 days): prom-client's own delay histogram is left without samples.
const NEVER_MS = 2 ** 31 - 1;

/**
 * Registers prom-client's default process metrics (CPU, memory, GC, handles, event loop) under `prefix`, with the
 * event-loop delay figures corrected. Node's monitorEventLoopDelay records the whole interval of its sampling timer,
 * the period included, and prom-client passes that on: with a 100 ms period an idle service showed at least 0.1 s of
 * "lag" in `nodejs_eventloop_lag_p99_seconds` and its siblings. The same series here hold the delay alone: how late each
 * sample fired, since the previous scrape (0 without a sample since then).
 */
export function registerProcessMetrics(registry: Registry, prefix: string, periodMs: number): void {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults, prefix, eventLoopMonitoringPrecision: NEVER_MS });
  const replaced = new Set(DELAY_STATS.map((stat) => delayMetricName(prefix, stat)));
  for (const { name } of defaults.getMetricsAsArray()) {
    const metric = defaults.getSingleMetric(name);
    if (metric && !replaced.has(name)) registry.registerMetric(metric);
  }

  const histogram = monitorEventLoopDelay({ resolution: periodMs });
  histogram.enable();
  const lateSeconds = (ns: number) => Math.max(0, ns / 1e6 - periodMs) / 1000;
  const read: Record<DelayStat, () => number> = {
    min: () => lateSeconds(histogram.min),
    max: () => lateSeconds(histogram.max),
    mean: () => lateSeconds(histogram.mean),
    // The period shifts every sample alike, so the spread is the histogram's own.
    stddev: () => histogram.stddev / 1e9,
    p50: () => lateSeconds(histogram.percentile(50)),
    p90: () => lateSeconds(histogram.percentile(90)),
    p99: () => lateSeconds(histogram.percentile(99)),
  };
  const gauges = {} as Record<DelayStat, Gauge>;
  for (const stat of DELAY_STATS) {
    gauges[stat] = new Gauge({
      name: delayMetricName(prefix, stat),
      help: `The ${stat} of the event loop's delay in seconds since the last scrape, sampled every ${periodMs} ms.`,
      registers: [registry],
      // A scrape collects the series in registration order: the first one reads every figure, then starts over.
      ...(stat === DELAY_STATS[0]
        ? {
          collect() {
            for (const s of DELAY_STATS) gauges[s].set(histogram.count > 0 ? read[s]() : 0);
            histogram.reset();
          },
        }
        : {}),
    });
  }
}

function delayMetricName(prefix: string, stat: DelayStat): string {
  return `${prefix}nodejs_eventloop_lag_${stat}_seconds`;
}
