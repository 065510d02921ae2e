import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { dashboard, dashboardExpressions, panels } from './support/dashboard-file';
import { metricNamesIn } from './support/promql';

// The static half of the dashboard check; trace.e2e.spec.ts scrapes the running services and checks that every metric named
// here is one they export.
describe('Grafana dashboard', () => {
  it('is valid JSON with a stable uid and unique panel ids', () => {
    const d = dashboard();
    expect(d.uid).toBe('hookline-overview');
    const ids = panels(d).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('queries the provisioned Prometheus data source from every panel', () => {
    const provisioned = parse(readFileSync(path.join(__dirname, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; type: string }>;
    };
    const [datasource] = provisioned.datasources;
    for (const panel of panels().filter((p) => p.type !== 'row')) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({ panel: panel.title, datasource: { type: 'prometheus', uid: datasource.uid } });
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  it('names only Hookline series, at least one in every query', () => {
    const problems: string[] = [];
    for (const { where, expr } of dashboardExpressions()) {
      const names = metricNamesIn(expr);
      if (names.length === 0) problems.push(`${where}: no metric in ${expr}`);
      for (const name of names) if (!name.startsWith('hookline_')) problems.push(`${where}: ${name}`);
    }
    expect(problems).toEqual([]);
  });

  it('covers ingress, deliveries, latency, breakers, queue depth, broker destination clients, consumer lag, projection and processes', () => {
    const named = new Set(dashboardExpressions().flatMap(({ expr }) => metricNamesIn(expr)));
    for (const name of [
      'hookline_http_requests_total', 'hookline_http_request_errors_total', 'hookline_command_events_appended_total',
      'hookline_dispatcher_deliveries_total', 'hookline_dispatcher_attempts_total', 'hookline_dispatcher_retries_total',
      'hookline_dispatcher_dead_letters_total', 'hookline_dispatcher_attempt_duration_seconds_bucket',
      'hookline_dispatcher_delivery_latency_seconds_bucket', 'hookline_dispatcher_endpoint_breaker_state',
      'hookline_dispatcher_parked_deliveries', 'hookline_dispatcher_broker_clients', 'hookline_dispatcher_broker_clients_refused_total',
      'hookline_kafka_consumer_lag', 'hookline_query_projection_batch_size_bucket',
      'hookline_query_projection_batch_duration_seconds_bucket', 'hookline_process_cpu_seconds_total',
    ]) {
      expect({ name, onDashboard: named.has(name) }).toEqual({ name, onDashboard: true });
    }
  });

  it('is where docker-compose mounts the dashboards and their provisioning', () => {
    const compose = readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
    for (const mounted of ['otel-collector.yaml', 'prometheus.yml', 'alert-rules.yml', 'grafana/provisioning', 'grafana/dashboards']) {
      expect(compose).toContain(`./deploy/observability/${mounted}`);
      expect(existsSync(path.join(__dirname, mounted))).toBe(true);
    }
  });
});

describe('metricNamesIn', () => {
  it('finds the metrics of a PromQL expression and nothing else', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(hookline_a_bucket{route=~"/v1/.*", x="sum"}[$__rate_interval] offset 1d))) ' +
          '/ on (route) group_left sum without (instance) (hookline_b_total) > 1e3 unless hookline:recorded:p99_5m',
      ).sort(),
    ).toEqual(['hookline:recorded:p99_5m', 'hookline_a_bucket', 'hookline_b_total']);
  });
});
