/**
 * What stalled each service during a phase, from its own /metrics (prom-client's default metrics): how late its event
 * loop ran and how long its garbage collector paused it. Latency tails at moderate load come from such stalls (and from
 * waiting for a core), not from the work itself, so the latency table shows them beside the percentiles.
 */
import { metricSamples } from './metrics-text';

/** GC pauses of one kind (minor = scavenge, major = mark-compact, incremental = marking steps) since the process started. */
interface GcTotals {
  count: number;
  seconds: number;
  /** Pauses of 10 ms or more (prom-client's buckets end at 1, 10, 100 ms, …). */
  over10ms: number;
}

/** One scrape's figures. */
export interface RuntimeSample {
  /** p99 and max event-loop delay since the previous scrape (prom-client resets its histogram at every scrape). */
  loopDelayP99Ms: number | null;
  loopDelayMaxMs: number | null;
  gc: Record<string, GcTotals>;
}

/** A service's pauses over a phase. */
export interface ServicePauses {
  service: string;
  loopDelayP99Ms: number | null;
  loopDelayMaxMs: number | null;
  scavenges: number;
  scavengeMeanMs: number | null;
  scavengesOver10ms: number;
  majorGcs: number;
  majorGcMeanMs: number | null;
}

const RUNTIME_SERIES = /^nodejs_(eventloop_lag_p99_seconds|eventloop_lag_max_seconds|gc_duration_seconds_(?:count|sum|bucket))$/;

/** The event-loop and GC figures in a Prometheus text exposition. */
export function parseRuntimeMetrics(text: string): RuntimeSample {
  const sample: RuntimeSample = { loopDelayP99Ms: null, loopDelayMaxMs: null, gc: {} };
  for (const { name, labels, value } of metricSamples(text, (n) => RUNTIME_SERIES.test(n))) {
    if (!Number.isFinite(value)) continue;
    if (name === 'nodejs_eventloop_lag_p99_seconds') sample.loopDelayP99Ms = value * 1000;
    else if (name === 'nodejs_eventloop_lag_max_seconds') sample.loopDelayMaxMs = value * 1000;
    else {
      const kind = labels['kind'] ?? 'unknown';
      const gc = (sample.gc[kind] ??= { count: 0, seconds: 0, over10ms: 0 });
      if (name === 'nodejs_gc_duration_seconds_count') {
        gc.count = value;
        gc.over10ms += value;
      } else if (name === 'nodejs_gc_duration_seconds_sum') gc.seconds = value;
      else if (labels['le'] === '0.01') gc.over10ms -= value;
    }
  }
  return sample;
}

/** The pauses between two scrapes of one service (the event-loop figures are the later scrape's own). */
export function pausesBetween(service: string, before: RuntimeSample, after: RuntimeSample): ServicePauses {
  const delta = (kind: string): GcTotals => {
    const a = after.gc[kind] ?? { count: 0, seconds: 0, over10ms: 0 };
    const b = before.gc[kind] ?? { count: 0, seconds: 0, over10ms: 0 };
    return { count: a.count - b.count, seconds: a.seconds - b.seconds, over10ms: a.over10ms - b.over10ms };
  };
  const minor = delta('minor');
  const major = delta('major');
  return {
    service,
    loopDelayP99Ms: after.loopDelayP99Ms,
    loopDelayMaxMs: after.loopDelayMaxMs,
    scavenges: minor.count,
    scavengeMeanMs: minor.count > 0 ? (minor.seconds * 1000) / minor.count : null,
    scavengesOver10ms: minor.over10ms,
    majorGcs: major.count,
    majorGcMeanMs: major.count > 0 ? (major.seconds * 1000) / major.count : null,
  };
}

/** Scrapes a service's /metrics; null when it does not answer (the phase's figures then just lack that service). */
export async function scrapeRuntime(baseUrl: string): Promise<RuntimeSample | null> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? parseRuntimeMetrics(await res.text()) : null;
  } catch {
    return null;
  }
}
