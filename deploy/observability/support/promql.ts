// Words of PromQL that look like metric names: functions, aggregations, keywords and modifiers.
const PROMQL_WORDS = new Set([
  'abs', 'absent', 'absent_over_time', 'avg', 'avg_over_time', 'bool', 'bottomk', 'by', 'ceil', 'changes', 'clamp', 'clamp_max',
  'clamp_min', 'count', 'count_over_time', 'count_values', 'delta', 'deriv', 'exp', 'floor', 'group', 'group_left', 'group_right',
  'histogram_quantile', 'holt_winters', 'idelta', 'ignoring', 'increase', 'irate', 'label_replace', 'last_over_time', 'ln', 'log2',
  'log10', 'max', 'max_over_time', 'min', 'min_over_time', 'offset', 'on', 'predict_linear', 'quantile', 'quantile_over_time', 'rate',
  'resets', 'round', 'scalar', 'sgn', 'sort', 'sort_desc', 'sqrt', 'stddev', 'stddev_over_time', 'stdvar', 'sum', 'sum_over_time',
  'time', 'timestamp', 'topk', 'vector', 'without', 'and', 'or', 'unless', 'inf', 'nan',
]);

/**
 * The metric names a PromQL expression selects. Quoted strings, label matchers (`{…}`), range and subquery brackets, the label
 * lists of `by`/`without`/`on`/`ignoring`/`group_left`/`group_right`, Grafana variables (`$__rate_interval`, `${tenant}`),
 * numbers and durations are removed first; what is left that is not a PromQL word is a metric name.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\$\{[^}]*\}|\$[a-zA-Z_][a-zA-Z0-9_]*/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(^|[^a-zA-Z0-9_:])\d[0-9a-zA-Z.]*/g, '$1 ');
  const names = new Set<string>();
  for (const [word] of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    if (PROMQL_WORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names];
}
