import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The dashboard Grafana provisions from deploy/observability/grafana/dashboards. */
export const DASHBOARD_FILE = path.join(__dirname, '..', 'grafana', 'dashboards', 'hookline.json');

export interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr?: string; refId: string; datasource?: { type: string; uid: string } }>;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function panels(d: Dashboard = dashboard()): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** The PromQL of every panel target and template variable query, with where it is. */
export function dashboardExpressions(d: Dashboard = dashboard()): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const panel of panels(d)) {
    for (const target of panel.targets ?? []) if (target.expr) out.push({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
  }
  for (const variable of d.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query?: string } | undefined)?.query;
    // label_values(metric, label) names a metric too.
    if (query) out.push({ where: `variable $${variable.name}`, expr: query.replace(/^label_values\(([^,]+),.*\)$/, '$1') });
  }
  return out;
}
