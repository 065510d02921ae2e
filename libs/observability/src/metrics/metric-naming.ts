/** The prefix of every Hookline series, default process metrics included. */
export const METRIC_PREFIX = 'hookline_';

// A label whose values are ids or URLs makes one series per tenant, endpoint or message: unbounded memory in every service and
// in Prometheus. Such values belong in logs and traces.
const UNBOUNDED_LABEL = /(^|_)(id|ids|url|uri)$/i;

/** `name` with the `hookline_` prefix added when it is missing. */
export function prefixedMetricName(name: string): string {
  return name.startsWith(METRIC_PREFIX) ? name : `${METRIC_PREFIX}${name}`;
}

/** Throws when a label name looks like it would take unbounded values (ids, URLs). */
export function assertBoundedLabels(metricName: string, labelNames: readonly string[]): void {
  for (const label of labelNames) {
    if (UNBOUNDED_LABEL.test(label)) {
      throw new Error(
        `metric ${metricName}: label "${label}" would create one series per id or URL; label by a bounded dimension ` +
          '(status class, event type, outcome) and put ids in logs and span attributes instead',
      );
    }
  }
}
