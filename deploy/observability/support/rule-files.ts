import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** deploy/observability/alert-rules.yml, as Prometheus loads it (rule_files in prometheus.yml). */
export const ALERT_RULES_FILE = path.join(__dirname, '..', 'alert-rules.yml');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every rule of the rules file, with the name of its group. */
export function rules(): Array<Rule & { group: string }> {
  const doc = parse(readFileSync(ALERT_RULES_FILE, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
}

/** The PromQL of every alerting and recording rule, with where it is. */
export function alertRuleExpressions(): Array<{ where: string; expr: string }> {
  return rules().map((r) => ({ where: `alert-rules.yml ${r.group}/${r.alert ?? r.record}`, expr: r.expr }));
}

/** The series the recording rules create (queries may use them beside what the services export). */
export function recordingRuleNames(): Set<string> {
  return new Set(rules().flatMap((r) => (r.record ? [r.record] : [])));
}
