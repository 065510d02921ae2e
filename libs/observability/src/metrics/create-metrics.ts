import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { assertBoundedLabels, METRIC_PREFIX, prefixedMetricName } from './metric-naming';
import { registerProcessMetrics } from './process-metrics';

/** Period (ms) of the event-loop delay sampling behind the nodejs_eventloop_lag_* metrics. */
const EVENT_LOOP_SAMPLE_MS = 100;

/** What {@link createMetrics} needs. */
export interface MetricsOptions {
  /** The `service` label on every series, e.g. `dispatcher`. */
  service: string;
  /** Whether to collect the process metrics (CPU, memory, event loop lag, GC, handles); defaults to `true`. */
  defaultMetrics?: boolean;
}

/** A rendered `/metrics` response, ready to send from any HTTP framework. */
export interface MetricsResponse {
  /** The value for the `Content-Type` header (Prometheus text format 0.0.4). */
  contentType: string;
  /** The Prometheus text exposition of every series. */
  body: string;
}

/**
 * A service's metrics: its own prom-client registry, and declarations that return the already declared metric when the same
 * name is declared again with the same kind and labels (so call sites can declare what they use without coordinating).
 * Names get the `hookline_` prefix when they lack it. Label names are checked at declaration: id- and URL-like names are refused.
 */
export interface Metrics {
  /** The underlying registry, for anything the helpers do not cover. */
  readonly registry: Registry;
  /** Declares (or returns the existing) counter `name` with exactly these label names. */
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  /** Declares (or returns the existing) gauge `name` with exactly these label names. */
  gauge<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  /**
   * Declares (or returns the existing) histogram `name` with exactly these label names; `buckets` are upper bounds in the
   * metric's unit (seconds for durations) and default to prom-client's 5 ms … 10 s.
   */
  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: readonly number[],
  ): Histogram<L>;
  /** The current value of every series, for a `/metrics` route. */
  render(): Promise<MetricsResponse>;
}

type MetricKind = 'counter' | 'gauge' | 'histogram';

interface Declaration {
  kind: MetricKind;
  shape: string;
  metric: Counter<string> | Gauge<string> | Histogram<string>;
}

/**
 * Creates the metrics of one service: a fresh registry (not prom-client's global one) with a `service` label on every series
 * and, unless turned off, the default process metrics prefixed `hookline_`.
 */
export function createMetrics({ service, defaultMetrics = true }: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // The event-loop delay histogram samples on a timer of this period: prom-client's default of 10 ms woke every service
  // 100 times a second, idle or not, which on a virtualised two-core machine was a measurable share of its idle CPU.
  // Ten samples a second still catch any lag that lasts long enough to matter.
  if (defaultMetrics) registerProcessMetrics(registry, METRIC_PREFIX, EVENT_LOOP_SAMPLE_MS);

  const declarations = new Map<string, Declaration>();

  function declare<M extends Declaration['metric']>(
    kind: MetricKind,
    rawName: string,
    labelNames: readonly string[],
    buckets: readonly number[] | undefined,
    create: (name: string, labels: string[]) => M,
  ): M {
    const name = prefixedMetricName(rawName);
    const shape = JSON.stringify({ labels: [...labelNames].sort(), buckets: buckets ?? null });
    const existing = declarations.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind || existing.shape !== shape) {
        throw new Error(
          `metric ${name} is already declared as a ${existing.kind} with ${existing.shape}; it cannot also be a ${kind} ` +
            `with ${shape}: declare it once in a shared file and import it`,
        );
      }
      return existing.metric as M;
    }
    assertBoundedLabels(name, labelNames);
    const metric = create(name, [...labelNames]);
    declarations.set(name, { kind, shape, metric });
    return metric;
  }

  return {
    registry,
    counter: (name, help, labelNames = []) =>
      declare('counter', name, labelNames, undefined, (n, labels) => new Counter({ name: n, help, labelNames: labels, registers: [registry] })),
    gauge: (name, help, labelNames = []) =>
      declare('gauge', name, labelNames, undefined, (n, labels) => new Gauge({ name: n, help, labelNames: labels, registers: [registry] })),
    histogram: (name, help, labelNames = [], buckets) =>
      declare('histogram', name, labelNames, buckets, (n, labels) =>
        new Histogram({ name: n, help, labelNames: labels, registers: [registry], ...(buckets ? { buckets: [...buckets] } : {}) }),
      ),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
