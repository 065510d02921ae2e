import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml, the collector and Prometheus must agree on names and ports; nothing but `docker compose up` would
// notice otherwise.
const load = (file: string) => parse(readFileSync(path.join(__dirname, file), 'utf8'), { merge: true });

interface Compose {
  services: Record<string, { environment?: Record<string, string> }>;
}
interface Collector {
  receivers: Record<string, { protocols?: { http?: { endpoint: string } } }>;
  processors: Record<string, unknown>;
  exporters: Record<string, { endpoint: string }>;
  service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
}
interface PrometheusConfig {
  scrape_configs: Array<{ job_name: string; metrics_path?: string; dns_sd_configs: Array<{ names: string[]; type: string; port: number }> }>;
}

const compose = load('../../docker-compose.yml') as Compose;
const hooklineServices = ['command-service', 'query-service', 'dispatcher'];

describe('docker-compose wiring of the observability stack', () => {
  it('sends every service’s spans to the collector’s OTLP/HTTP receiver, and the collector on to Jaeger', () => {
    const collector = load('otel-collector.yaml') as Collector;
    const traces = collector.service.pipelines['traces'];
    for (const name of traces.receivers) expect(collector.receivers[name]).toBeDefined();
    for (const name of traces.processors ?? []) expect(collector.processors[name]).toBeDefined();
    for (const name of traces.exporters) expect(collector.exporters[name]).toBeDefined();

    const httpPort = collector.receivers['otlp'].protocols?.http?.endpoint.split(':').pop();
    for (const service of hooklineServices) {
      expect(compose.services[service].environment?.['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe(`http://otel-collector:${httpPort}`);
    }
    const [jaegerExporter] = traces.exporters.map((name) => collector.exporters[name]);
    expect(jaegerExporter.endpoint).toBe('jaeger:4317');
    expect(compose.services['jaeger'].environment?.['COLLECTOR_OTLP_ENABLED']).toBe('true');
  });

  it('scrapes /metrics of every replica of each service (DNS A records) on the port the service listens on', () => {
    const prometheus = load('prometheus.yml') as PrometheusConfig;
    const targets = prometheus.scrape_configs.flatMap((c) =>
      c.dns_sd_configs.flatMap((d) => d.names.map((name) => ({ target: `${name}:${d.port}`, type: d.type, path: c.metrics_path }))));
    expect(targets).toEqual(hooklineServices.map((service) =>
      ({ target: `${service}:${compose.services[service].environment?.['PORT']}`, type: 'A', path: '/metrics' })));
  });

  it('lets the dispatcher run as several replicas: no fixed host port, no fixed instance name', () => {
    const dispatcher = compose.services['dispatcher'] as { ports?: string[]; environment?: Record<string, string> };
    // A fixed host port would make `--scale dispatcher=N` fail on the second replica; a range gives each its own.
    for (const mapping of dispatcher.ports ?? []) expect(mapping).toMatch(/^\d+-\d+:\d+$/);
    // INSTANCE_ID names retry-row leases: left unset, each replica uses its own hostname (the container id).
    expect(dispatcher.environment?.['INSTANCE_ID']).toBeUndefined();
  });
});
