import { parseRuntimeMetrics, pausesBetween } from './runtime-pauses';

/** Lines as a service's /metrics renders them (prom-client default metrics, `hookline_` prefix, `service` label). */
function exposition(loopP99: number, minor: { buckets: number[]; sum: number; count: number }, major: { sum: number; count: number }): string {
  const les = ['0.001', '0.01', '0.1', '1', '2', '5', '+Inf'];
  return [
    '# HELP hookline_nodejs_eventloop_lag_p99_seconds The p99 of the event loop\'s delay in seconds since the last scrape.',
    '# TYPE hookline_nodejs_eventloop_lag_p99_seconds gauge',
    `hookline_nodejs_eventloop_lag_p99_seconds{service="dispatcher"} ${loopP99}`,
    'hookline_nodejs_eventloop_lag_max_seconds{service="dispatcher"} 0.0875',
    'hookline_nodejs_eventloop_lag_seconds{service="dispatcher"} 0.0003',
    ...les.map((le, i) => `hookline_nodejs_gc_duration_seconds_bucket{le="${le}",service="dispatcher",kind="minor"} ${minor.buckets[i]}`),
    `hookline_nodejs_gc_duration_seconds_sum{service="dispatcher",kind="minor"} ${minor.sum}`,
    `hookline_nodejs_gc_duration_seconds_count{service="dispatcher",kind="minor"} ${minor.count}`,
    `hookline_nodejs_gc_duration_seconds_sum{service="dispatcher",kind="major"} ${major.sum}`,
    `hookline_nodejs_gc_duration_seconds_count{service="dispatcher",kind="major"} ${major.count}`,
    'hookline_dispatcher_attempts_total{result="succeeded",trigger="initial",service="dispatcher"} 1200',
  ].join('\n');
}

describe('runtime pauses from /metrics', () => {
  it('reads the event-loop delay in ms and the GC totals by kind', () => {
    const sample = parseRuntimeMetrics(exposition(0.0123, { buckets: [2, 8, 10, 10, 10, 10, 10], sum: 0.05, count: 10 }, { sum: 0.03, count: 1 }));
    expect(sample.loopDelayP99Ms).toBeCloseTo(12.3);
    expect(sample.loopDelayMaxMs).toBeCloseTo(87.5);
    expect(sample.gc['minor']).toEqual({ count: 10, seconds: 0.05, over10ms: 2 });
    expect(sample.gc['major']).toEqual({ count: 1, seconds: 0.03, over10ms: 1 });
  });

  it('gives a phase its own scavenges and full GCs, and the delay of the scrape that ends it', () => {
    const before = parseRuntimeMetrics(exposition(0.2, { buckets: [2, 8, 10, 10, 10, 10, 10], sum: 0.05, count: 10 }, { sum: 0.03, count: 1 }));
    const after = parseRuntimeMetrics(exposition(0.004, { buckets: [2, 38, 50, 50, 50, 50, 50], sum: 0.45, count: 50 }, { sum: 0.09, count: 3 }));

    expect(pausesBetween('dispatcher', before, after)).toEqual({
      service: 'dispatcher',
      loopDelayP99Ms: 4,
      loopDelayMaxMs: 87.5,
      scavenges: 40,
      scavengeMeanMs: 10,
      scavengesOver10ms: 10,
      majorGcs: 2,
      majorGcMeanMs: 30,
    });
  });

  it('has no means for a phase without a collection of that kind', () => {
    const idle = parseRuntimeMetrics(exposition(0.001, { buckets: [1, 1, 1, 1, 1, 1, 1], sum: 0.0005, count: 1 }, { sum: 0, count: 0 }));
    const pauses = pausesBetween('dispatcher', idle, idle);
    expect(pauses.scavenges).toBe(0);
    expect(pauses.scavengeMeanMs).toBeNull();
    expect(pauses.majorGcMeanMs).toBeNull();
  });
});
