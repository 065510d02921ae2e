/** One series sample of a service's /metrics (Prometheus text exposition). */
export interface MetricSample {
  /** The series name without the services' `hookline_` prefix, e.g. `nodejs_gc_duration_seconds_count`. */
  name: string;
  /** The label block as written, braces included (`{kind="minor",service="dispatcher"}`), or '' without labels. */
  labelText: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^(?:hookline_)?([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/;

/** The samples of an exposition whose (unprefixed) name `wanted` accepts; comments and other series are skipped. */
export function metricSamples(text: string, wanted: (name: string) => boolean): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const m = SAMPLE_LINE.exec(line);
    if (!m || !wanted(m[1])) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labelText: m[2] ?? '', labels, value: Number(m[3]) });
  }
  return samples;
}
