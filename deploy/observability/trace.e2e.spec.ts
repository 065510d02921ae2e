import { randomBytes } from 'node:crypto';
import { Exposition, parseExposition, series, total } from './support/prometheus-text';
import { metricNamesIn } from './support/promql';
import { OtlpReceiver, ReceivedSpan, SPAN_KIND, createTestDatabase, startOtlpReceiver, waitFor } from '@hookline/testing';
import { api, startWebhookReceiver } from './support/e2e-kit';
import { Stack, startStack } from './support/stack';
import { alertRuleExpressions, recordingRuleNames } from './support/rule-files';
import { dashboardExpressions } from './support/dashboard-file';

// The three services as separate processes, each exporting spans to a small OTLP/HTTP receiver run by this test, one
// message published over REST to three endpoints (one answers at once, one after a retry, one never), then: one trace
// from the API to the projection, the trace id in the read models, the series on every /metrics, and no secret in any log.

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe('observability end to end: one trace per message, metrics and masked logs (three service processes)', () => {
  const prefix = `test-obs-${Date.now().toString(36)}-${hex(3)}-`;
  const messagesTopic = `${prefix}hookline.messages.v1`;
  const deliveriesTopic = `${prefix}hookline.deliveries.v1`;
  // Every secret this run uses; none may reach a log line or an exported span.
  const secrets: Record<string, string> = {
    adminKey: `e2e-admin-${hex(16)}`,
    receiverToken: `rcv-${hex(16)}`,
    cardNumber: `4111${String(Date.now()).slice(-12)}`,
  };
  const visibleMarker = `ord_${hex(6)}`;

  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let otlp: OtlpReceiver;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let stack: Stack;
  let commandUrl: string;
  let queryUrl: string;
  let tenantId: string;
  let tenantKey: string;
  const endpoints: Record<'ok' | 'flaky' | 'down', string> = { ok: '', flaky: '', down: '' };
  let messageId: string;

  beforeAll(async () => {
    db = await createTestDatabase('obs');
    otlp = await startOtlpReceiver();
    receiver = await startWebhookReceiver((p, seen) => (p === '/ok' ? 200 : p === '/flaky' ? (seen === 0 ? 500 : 200) : 500));
    stack = await startStack({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: prefix,
      CONSUMER_GROUP_ID: `${prefix}dispatcher`,
      PROJECTOR_GROUP_ID: `${prefix}projector`,
      ADMIN_API_KEY: secrets.adminKey,
      HOOKLINE_DEV: 'true',
      ALLOW_HTTP_ENDPOINTS: 'true',
      SSRF_ALLOW_CIDRS: '127.0.0.1/32',
      LOG_LEVEL: 'debug',
      LOG_REDACT_FIELDS: 'card_number',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // Two failures in a row open the "down" endpoint's breaker, so the breaker series have something to show.
      BREAKER_MIN_VOLUME: '2',
      BREAKER_FAILURE_RATIO: '0.6',
      RETRY_POLL_INTERVAL_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    commandUrl = `http://127.0.0.1:${stack.services['command-service'].port}`;
    queryUrl = `http://127.0.0.1:${stack.services['query-service'].port}`;

    const tenant = await api<{ id: string }>(`${commandUrl}/v1/tenants`, secrets.adminKey, 'POST', { name: 'Observability e2e' });
    tenantId = tenant.id;
    const key = await api<{ key: string }>(`${commandUrl}/v1/api-keys`, secrets.adminKey, 'POST', { name: 'e2e', scope: 'tenant', tenant_id: tenantId });
    tenantKey = secrets.tenantKey = key.key;
    await api(`${commandUrl}/v1/tenants/${tenantId}/event-types`, tenantKey, 'POST', { name: 'order.paid', schema: { type: 'object' } });
    for (const name of ['ok', 'flaky', 'down'] as const) {
      const endpoint = await api<{ id: string; secret: string }>(`${commandUrl}/v1/tenants/${tenantId}/endpoints`, tenantKey, 'POST', {
        url: `${receiver.url}/${name}`,
        event_types: ['order.paid'],
        headers: { authorization: `Bearer ${secrets.receiverToken}` },
        retry_schedule_seconds: [1],
      });
      endpoints[name] = endpoint.id;
      secrets[`endpointSecret_${name}`] = endpoint.secret;
    }

    const published = await api<{ id: string }>(`${commandUrl}/v1/tenants/${tenantId}/messages`, tenantKey, 'POST', {
      event_type: 'order.paid',
      payload: { order_id: visibleMarker, amount: 4200, card_number: secrets.cardNumber },
    });
    messageId = published.id;
    // One refused request (a message without its event type), for the ingress error series.
    const refused = await fetch(`${commandUrl}/v1/tenants/${tenantId}/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${tenantKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ payload: {} }),
    });
    expect(refused.status).toBe(400);

    // Delivered to "ok" at once, to "flaky" on its retry, and dead-lettered for "down" after its two attempts.
    await waitFor(async () => {
      const message = await api<{ deliveries: Array<{ endpoint_id: string; status: string }> }>(
        `${queryUrl}/v1/tenants/${tenantId}/messages/${messageId}`, tenantKey);
      const status = Object.fromEntries(message.deliveries.map((d) => [d.endpoint_id, d.status]));
      const settled = status[endpoints.ok] === 'succeeded' && status[endpoints.flaky] === 'succeeded' && status[endpoints.down] === 'dead_lettered';
      if (!settled) throw new Error(`deliveries ${JSON.stringify(status)}, receiver got ${receiver.received.map((r) => r.path).join(' ') || 'nothing'}`);
      return true;
    }, 30_000, 'the three deliveries to settle in the read model', 200);
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await otlp?.close();
    await db?.drop();
  }, 60_000);

  const spansOf = (traceId: string) => otlp.spans.filter((s) => s.traceId === traceId);
  const one = (spans: ReceivedSpan[], what: string, match: (s: ReceivedSpan) => boolean): ReceivedSpan => {
    const found = spans.filter(match);
    if (found.length !== 1) {
      const seen = spans.map((s) => `${s.service} ${s.name} kind=${s.kind} ${s.spanId}<-${s.parentSpanId}`).join('\n  ');
      throw new Error(`expected exactly one ${what} in the trace, found ${found.length}; spans seen:\n  ${seen}`);
    }
    return found[0];
  };

  it('links the API span, the produce, the consume, the HTTP attempt, the receiver’s traceparent and the projections in one trace', async () => {
    const okRequest = receiver.received.find((r) => r.path === '/ok')!;
    expect(okRequest.traceparents).toHaveLength(1);
    const [, traceId, receivedSpanId] = TRACEPARENT.exec(okRequest.traceparents[0]) ?? [];
    expect(traceId).toBeDefined();

    // Spans are exported in batches: wait until the projection of the attempt event has arrived.
    let lastChainError: Error | undefined;
    const chain = await waitFor(() => {
      const spans = spansOf(traceId);
      try {
        const api = one(spans, 'REST request span', (s) => s.service === 'hookline-command-service' && s.kind === SPAN_KIND.SERVER);
        const produce = one(spans, 'message produce span', (s) => s.kind === SPAN_KIND.PRODUCER && s.attributes['messaging.destination.name'] === messagesTopic);
        const consume = one(spans, 'dispatcher consume span', (s) => s.service === 'hookline-dispatcher' && s.kind === SPAN_KIND.CONSUMER);
        const attempt = one(spans, 'attempt span to "ok"', (s) => s.name === 'webhook attempt' && s.attributes['hookline.endpoint_id'] === endpoints.ok);
        const attemptEvent = one(spans, 'attempt event produce span', (s) => s.kind === SPAN_KIND.PRODUCER && s.parentSpanId === attempt.spanId);
        const messageProjection = one(spans, 'message projection span', (s) => s.service === 'query-service' && s.parentSpanId === produce.spanId);
        const attemptProjection = one(spans, 'attempt projection span', (s) => s.service === 'query-service' && s.parentSpanId === attemptEvent.spanId);
        return { api, produce, consume, attempt, attemptEvent, messageProjection, attemptProjection };
      } catch (err) {
        lastChainError = err as Error;
        return null;
      }
    }, 20_000, 'the whole chain of spans to be exported').catch((err: Error) => {
      throw new Error(`${err.message}\n${lastChainError?.message ?? ''}`);
    });

    // The parent chain, hop by hop: request → produce → consume → attempt → (receiver) ; attempt → event → projection.
    expect(chain.api.parentSpanId).toBe('');
    expect(isDescendant(spansOf(traceId), chain.produce, chain.api)).toBe(true);
    expect(chain.produce.service).toBe('hookline-command-service');
    expect(chain.consume.parentSpanId).toBe(chain.produce.spanId);
    expect(chain.consume.attributes['messaging.destination.name']).toBe(messagesTopic);
    expect(chain.attempt.parentSpanId).toBe(chain.consume.spanId);
    expect(chain.attempt.kind).toBe(SPAN_KIND.CLIENT);
    expect(receivedSpanId).toBe(chain.attempt.spanId);
    expect(chain.attemptEvent.service).toBe('hookline-dispatcher');
    expect(chain.attemptEvent.attributes['messaging.destination.name']).toBe(deliveriesTopic);
    expect(chain.attemptProjection.kind).toBe(SPAN_KIND.CONSUMER);
    expect(chain.messageProjection.kind).toBe(SPAN_KIND.CONSUMER);

    // The retry of "flaky" and both attempts of "down" (run later, by the retry worker) stay in the message's trace.
    const attempts = await waitFor(() => {
      const found = spansOf(traceId).filter((s) => s.name === 'webhook attempt');
      return found.length >= 5 ? found : null;
    }, 10_000, 'the five attempt spans to be exported');
    expect(attempts.map((s) => s.attributes['hookline.endpoint_id']).sort()).toEqual(
      [endpoints.ok, endpoints.flaky, endpoints.flaky, endpoints.down, endpoints.down].sort(),
    );
    for (const request of receiver.received) {
      expect(request.traceparents).toHaveLength(1);
      expect(TRACEPARENT.exec(request.traceparents[0])?.[1]).toBe(traceId);
    }
  }, 40_000);

  it('returns the trace id with the message and with each of its attempts from the query API', async () => {
    const traceId = TRACEPARENT.exec(receiver.received.find((r) => r.path === '/ok')!.traceparents[0])![1];
    const message = await api<{ trace_id: string | null }>(`${queryUrl}/v1/tenants/${tenantId}/messages/${messageId}`, tenantKey);
    expect(message.trace_id).toBe(traceId);
    const attempts = await api<{ data: Array<{ endpoint_id: string; trace_id: string | null }> }>(
      `${queryUrl}/v1/tenants/${tenantId}/messages/${messageId}/attempts`, tenantKey);
    expect(attempts.data).toHaveLength(5);
    for (const attempt of attempts.data) expect(attempt.trace_id).toBe(traceId);
  });

  describe('/metrics', () => {
    const scraped: Record<string, Exposition> = {};
    beforeAll(async () => {
      for (const service of Object.values(stack.services)) {
        const res = await fetch(`http://127.0.0.1:${service.port}/metrics`);
        expect(res.status).toBe(200);
        scraped[service.name] = parseExposition(await res.text());
      }
    }, 20_000);

    it('command-service: REST and gRPC ingress requests and errors by route and status, events appended, messages per tenant, process metrics', () => {
      const m = scraped['command-service'];
      const route = '/v1/tenants/:tenantId/messages';
      expect(total(m, 'hookline_http_requests_total', { method: 'POST', route, status: '202' })).toBeGreaterThan(0);
      expect(total(m, 'hookline_http_request_duration_seconds_count', { method: 'POST', route })).toBeGreaterThan(0);
      expect(total(m, 'hookline_http_request_errors_total', { method: 'POST', route, status: '400' })).toBe(1);
      expect(total(m, 'hookline_http_request_errors_total', { status: '202' })).toBe(0);
      expect(total(m, 'hookline_command_events_appended_total', { topic: messagesTopic, event_type: 'message.published.v1' })).toBe(1);
      expect(total(m, 'hookline_command_events_appended_total', { event_type: 'endpoint.created.v1' })).toBe(3);
      expect(total(m, 'hookline_command_messages_published_total', { tenant: tenantId })).toBe(1);
      expect(m.names).toContain('hookline_grpc_requests_total');
      expect(total(m, 'hookline_process_cpu_seconds_total')).toBeGreaterThan(0);
    });

    it('dispatcher: deliveries by outcome and status class, attempts, retries, dead letters, latencies, breaker, parked, lag', () => {
      const m = scraped['dispatcher'];
      expect(total(m, 'hookline_dispatcher_attempts_total')).toBe(5);
      expect(total(m, 'hookline_dispatcher_deliveries_total', { outcome: 'succeeded', status_class: '2xx' })).toBe(2);
      expect(total(m, 'hookline_dispatcher_deliveries_total', { outcome: 'retry_scheduled', status_class: '5xx' })).toBe(2);
      expect(total(m, 'hookline_dispatcher_deliveries_total', { outcome: 'dead_lettered', status_class: '5xx' })).toBe(1);
      expect(total(m, 'hookline_dispatcher_retries_total', { status_class: '5xx' })).toBe(2);
      expect(total(m, 'hookline_dispatcher_dead_letters_total', { cause: 'exhausted' })).toBe(1);
      expect(total(m, 'hookline_dispatcher_attempt_duration_seconds_count')).toBe(5);
      expect(total(m, 'hookline_dispatcher_delivery_latency_seconds_count')).toBe(2);
      expect(total(m, 'hookline_dispatcher_breaker_endpoints', { state: 'open' })).toBe(1);
      expect(total(m, 'hookline_dispatcher_endpoint_breaker_state', { endpoint: endpoints.down, state: 'open' })).toBe(1);
      expect(total(m, 'hookline_dispatcher_parked_deliveries', { state: 'dead' })).toBe(1);
      expect(series(m, 'hookline_kafka_consumer_lag', { group: `${prefix}dispatcher`, topic: messagesTopic }).length).toBeGreaterThan(0);
      expect(total(m, 'hookline_process_cpu_seconds_total')).toBeGreaterThan(0);
      // No message, delivery or attempt id is ever a label value.
      for (const sample of m.samples) for (const value of Object.values(sample.labels)) expect(value).not.toMatch(/^(msg|dlv|atm|evt)_/);
    });

    it('query-service: projection batch size and duration, events projected, consumer lag per group and partition', () => {
      const m = scraped['query-service'];
      expect(total(m, 'hookline_query_projection_batch_size_count', { topic: deliveriesTopic })).toBeGreaterThan(0);
      expect(total(m, 'hookline_query_projection_batch_duration_seconds_count', { topic: deliveriesTopic })).toBeGreaterThan(0);
      expect(total(m, 'hookline_query_projected_events_total', { topic: messagesTopic, outcome: 'applied' })).toBe(1);
      expect(series(m, 'hookline_kafka_consumer_lag', { group: `${prefix}projector`, topic: deliveriesTopic }).length).toBeGreaterThan(0);
      expect(total(m, 'hookline_process_cpu_seconds_total')).toBeGreaterThan(0);
    });

    it('every metric the Grafana dashboard and the alert rules query is one the services export', () => {
      const exported = new Set(Object.values(scraped).flatMap((m) => [...m.names]));
      const recorded = recordingRuleNames();
      const unknown: string[] = [];
      for (const { where, expr } of [...dashboardExpressions(), ...alertRuleExpressions()]) {
        const names = metricNamesIn(expr);
        if (names.length === 0) unknown.push(`${where}: names no metric (${expr})`);
        for (const name of names) if (!exported.has(name) && !recorded.has(name)) unknown.push(`${where}: ${name}`);
      }
      expect(unknown).toEqual([]);
    });
  });

  it('logs JSON lines with trace, tenant, message and endpoint ids, and no secret of the run in any log line or exported span', async () => {
    // A graceful stop first: shutdown lines and the last span batches are part of what is checked.
    await stack.stop();
    const traceId = TRACEPARENT.exec(receiver.received.find((r) => r.path === '/ok')!.traceparents[0])![1];
    const lines = Object.values(stack.services).flatMap((s) => s.output().split('\n').filter((l) => l.trim() !== '').map((line) => ({ service: s.name, line })));
    const notJson = lines.filter(({ line }) => !isJson(line));
    expect(notJson).toEqual([]);
    const records = lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>);

    const attemptLine = records.find((r) => r['msg'] === 'webhook attempt finished' && r['endpoint_id'] === endpoints.ok);
    expect(attemptLine).toMatchObject({ trace_id: traceId, tenant_id: tenantId, message_id: messageId, service: 'dispatcher' });
    expect(attemptLine?.['span_id']).toMatch(/^[0-9a-f]{16}$/);
    const fanOutLine = records.find((r) => r['msg'] === 'message fanned out');
    expect(fanOutLine).toMatchObject({ trace_id: traceId, tenant_id: tenantId, message_id: messageId });
    // The payload is logged at debug level, with the configured sensitive field masked and the rest readable.
    expect(fanOutLine?.['payload']).toEqual({ order_id: visibleMarker, amount: 4200, card_number: '[REDACTED]' });
    expect(records.find((r) => r['msg'] === 'event appended' && r['message_id'] === messageId)).toMatchObject({ trace_id: traceId, tenant_id: tenantId });

    const everything = [...lines.map((l) => l.line), ...otlp.rawBodies].join('\n');
    const leaked = Object.entries(secrets).filter(([, value]) => everything.includes(value) || everything.includes(secretBody(value)));
    expect(leaked.map(([name]) => name)).toEqual([]);
  }, 60_000);
});

function isJson(line: string): boolean {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
}

// The part of a secret after its prefix (`whsec_…`, `hk_test_…`): masking that keeps the prefix must not keep this.
function secretBody(secret: string): string {
  return secret.replace(/^(whsec_|whsk_|hk_(live|test)_)/, '');
}

function isDescendant(spans: ReceivedSpan[], span: ReceivedSpan, ancestor: ReceivedSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let current: ReceivedSpan | undefined = span; current; current = byId.get(current.parentSpanId)) {
    if (current.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}
