import { trace } from '@opentelemetry/api';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withProducerSpan } from '../kafka/kafka-spans';
import { extractTraceContext, injectTraceHeaders } from '../kafka/kafka-trace-headers';
import { disableOpenTelemetryGlobals } from '../testing/in-memory-tracing';
import { startTracing, type TracingHandle } from './start-tracing';
import { currentTraceId, currentTraceparent } from './trace-context';

const execFileAsync = promisify(execFile);

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// Stands in for both a webhook receiver and an OTLP collector: records every request.
async function startRecordingServer(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

describe('startTracing', () => {
  let handle: TracingHandle | undefined;
  let recorder: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeEach(async () => {
    recorder = await startRecordingServer();
  });
  afterEach(async () => {
    await handle?.shutdown();
    handle = undefined;
    disableOpenTelemetryGlobals();
    recorder.server.closeAllConnections();
    await new Promise((resolve) => recorder.server.close(resolve));
  });

  const inSpan = <T>(fn: () => Promise<T> | T): Promise<T> =>
    trace.getTracer('test').startActiveSpan('work', async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });

  it('creates trace ids and propagates them without an exporter', async () => {
    handle = startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {} });

    const seen = await inSpan(async () => {
      await fetch(`${recorder.url}/webhook`, { method: 'POST', body: '{}' });
      return { traceId: currentTraceId(), traceparent: currentTraceparent(), kafka: injectTraceHeaders({}) };
    });

    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    // Not recorded without an exporter, so the sampled flag is off; the ids are real and travel on.
    expect(seen.traceparent).toMatch(new RegExp(`^00-${seen.traceId}-[0-9a-f]{16}-00$`));
    expect(seen.kafka['traceparent']).toBe(seen.traceparent);
    const [webhook] = recorder.received;
    expect(webhook.headers['traceparent']).toMatch(new RegExp(`^00-${seen.traceId}-[0-9a-f]{16}-00$`));
    expect(webhook.headers['baggage']).toBeUndefined();
  });

  it('keeps a traceparent the caller set itself: exactly one header reaches the receiver', async () => {
    handle = startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {} });
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    await inSpan(() => fetch(`${recorder.url}/webhook`, { method: 'POST', body: '{}', headers: { traceparent: own } }));

    expect(recorder.received[0].headers['traceparent']).toBe(own);
  });

  describe("ambientContext: 'when-exporting' (the dispatcher)", () => {
    const parentHeaders = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

    it('without an exporter keeps no ambient context and loads no instrumentation, but explicit parents still carry the trace', async () => {
      handle = startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {}, ambientContext: 'when-exporting' });

      const ambient = await inSpan(async () => {
        await fetch(`${recorder.url}/webhook`, { method: 'POST', body: '{}' });
        return currentTraceId();
      });
      expect(ambient).toBeUndefined();
      // No undici instrumentation: nothing is added to what the caller sends.
      expect(recorder.received[0].headers['traceparent']).toBeUndefined();

      const sent = await withProducerSpan('send t', { topic: 't' }, (traceHeaders) => traceHeaders, extractTraceContext(parentHeaders));
      // A new, unsampled span in the parent's trace.
      expect(sent['traceparent']).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-00$/);
    });
    // With an exporter nothing changes: deploy/observability/trace.e2e.spec.ts follows the dispatcher's spans in one trace.
  });

  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, flushed by shutdown()', async () => {
    const fixture = join(__dirname, '../testing/export-one-span.fixture.ts');
    const { stdout } = await execFileAsync(process.execPath, ['-r', '@swc-node/register', fixture, `${recorder.url}/`], {
      timeout: 20_000,
    });
    const traceId = stdout.trim();

    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const exports = recorder.received.filter((request) => request.path === '/v1/traces');
    expect(exports).toHaveLength(1);
    const body = exports[0].body;
    expect(body).toContain(traceId);
    expect(body).toContain('"work"');
    expect(JSON.parse(body).resourceSpans[0].resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'dispatcher' } },
        { key: 'service.version', value: { stringValue: '1.2.3' } },
      ]),
    );
  }, 30_000);

  it('does nothing when OTEL_SDK_DISABLED=true', async () => {
    handle = startTracing({
      serviceName: 'dispatcher',
      serviceVersion: '1.2.3',
      env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: recorder.url },
    });
    const seen = await inSpan(async () => {
      await fetch(`${recorder.url}/webhook`);
      return currentTraceId();
    });
    await handle.shutdown();

    expect(seen).toBeUndefined();
    expect(recorder.received.map((request) => request.path)).toEqual(['/webhook']);
    expect(recorder.received[0].headers['traceparent']).toBeUndefined();
  });

  it('refuses a second start while the first is running, and allows one after shutdown', async () => {
    handle = startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {} });
    expect(() => startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {} })).toThrow(/already called/);

    await handle.shutdown();
    disableOpenTelemetryGlobals();
    handle = startTracing({ serviceName: 'dispatcher', serviceVersion: '1.2.3', env: {} });
    expect(await inSpan(() => currentTraceId())).toBeDefined();
  });
});
