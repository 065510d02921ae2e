/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed `/metrics` body: its samples, and every name a query may use (histogram series names included). */
export interface Exposition {
  samples: Sample[];
  names: Set<string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/;

/**
 * Parses the Prometheus text format (0.0.4). A metric declared but without any series yet (a labelled counter nothing
 * incremented) still counts as exported: its `# TYPE` line names it, with `_bucket`, `_sum` and `_count` for histograms and
 * summaries.
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = TYPE.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
    names.add(sample[1]);
  }
  return { samples, names };
}

/** The samples of `name` whose labels include every pair of `labels`. */
export function series(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the values of {@link series}. */
export function total(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return series(exposition, name, labels).reduce((sum, s) => sum + s.value, 0);
}
