import { EndpointId, MessageId } from '@hookline/contracts';
import { createMetrics } from '@hookline/observability';
import { AttemptRecord } from '../delivery/attempt-executor';
import { FinishedDelivery } from '../domain/delivery-lifecycle';
import { dispatcherMetrics, statusClass } from './dispatcher-metrics';

async function valueOf(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string | number> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values
    .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('dispatcher metrics', () => {
  it('classes attempts by status class, "acknowledged" for a record a Kafka cluster took or a message an AMQP broker confirmed, "error" when nothing answered', () => {
    expect(statusClass({ response: { status: 204, headers: {}, body: '', body_truncated: false }, succeeded: true })).toBe('2xx');
    expect(statusClass({ response: { status: 503, headers: {}, body: '', body_truncated: false }, succeeded: false })).toBe('5xx');
    expect(statusClass({ response: null, succeeded: false })).toBe('error');
    expect(statusClass({ response: null, succeeded: true })).toBe('acknowledged');
  });

  it('counts an attempt by result, outcome, status class and error class, and a success in the accepted → delivered histogram', async () => {
    const metrics = createMetrics({ service: 'dispatcher', defaultMetrics: false });
    const series = dispatcherMetrics(metrics, 10);
    const record = { succeeded: false, latencyMs: 120, response: { status: 500, headers: {}, body: '', body_truncated: false },
      error: { class: 'http_status', message: 'HTTP 500' } } as AttemptRecord;
    const message = { message_id: 'msg_1' as MessageId, published_at: new Date(Date.now() - 1500).toISOString() };
    series.attempted(record, { stage: 'retry_scheduled', message } as unknown as FinishedDelivery, 'initial');
    series.attempted({ ...record, succeeded: true, response: { ...record.response!, status: 200 }, error: null }, { stage: 'succeeded', message } as unknown as FinishedDelivery, 'retry');
    series.attempted({ ...record, response: null, error: { class: 'transformation', message: 'transformation failed: it ran longer than 250 ms' } },
      { stage: 'retry_scheduled', message } as unknown as FinishedDelivery, 'retry');

    expect(await valueOf(metrics, 'hookline_dispatcher_attempts_total', { result: 'failed', trigger: 'initial' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_deliveries_total', { outcome: 'retry_scheduled', status_class: '5xx' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_attempt_errors_total', { error_class: 'http_status' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_attempt_errors_total', { error_class: 'transformation' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_attempt_errors_total')).toBe(2);
    expect(await valueOf(metrics, 'hookline_dispatcher_retries_total', { status_class: '5xx' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_delivery_latency_seconds', { le: 2.5 })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_delivery_latency_seconds', { le: 1 })).toBe(0);
  });

  it('counts endpoints per breaker state and gives at most the configured number of them a series of their own', async () => {
    const metrics = createMetrics({ service: 'dispatcher', defaultMetrics: false });
    const series = dispatcherMetrics(metrics, 2);
    const ep = (n: number) => `ep_${n}` as EndpointId;
    series.setBreakers([[ep(1), 'open'], [ep(2), 'closed'], [ep(3), 'half_open'], [ep(4), 'open']]);

    expect(await valueOf(metrics, 'hookline_dispatcher_breaker_endpoints', { state: 'open' })).toBe(2);
    expect(await valueOf(metrics, 'hookline_dispatcher_breaker_endpoints', { state: 'closed' })).toBe(1);
    const perEndpoint = (await metrics.registry.getSingleMetric('hookline_dispatcher_endpoint_breaker_state')!.get()).values;
    expect(perEndpoint.map((v) => v.labels)).toEqual([{ endpoint: 'ep_1', state: 'open' }, { endpoint: 'ep_3', state: 'half_open' }]);

    series.setBreakers([[ep(1), 'closed']]);
    expect((await metrics.registry.getSingleMetric('hookline_dispatcher_endpoint_breaker_state')!.get()).values).toEqual([]);
  });
  it("counts each protocol's broker clients open, opened, closed by reason and refused, every series there from the start", async () => {
    const metrics = createMetrics({ service: 'dispatcher', defaultMetrics: false });
    const series = dispatcherMetrics(metrics, 10);
    for (const protocol of ['kafka', 'amqp']) {
      expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients', { protocol })).toBe(0);
      expect((await metrics.registry.getSingleMetric('hookline_dispatcher_broker_clients_refused_total')!.get()).values
        .filter((v) => v.labels.protocol === protocol)).toHaveLength(1);
    }
    const amqp = series.brokerClientPool('amqp');
    const kafka = series.brokerClientPool('kafka');
    amqp.opened!();
    amqp.opened!();
    amqp.closed!('idle');
    amqp.refused!();
    kafka.opened!();
    kafka.closed!('evicted');
    kafka.opened!();

    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients', { protocol: 'amqp' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients', { protocol: 'kafka' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_opened_total', { protocol: 'amqp' })).toBe(2);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_closed_total', { protocol: 'amqp', reason: 'idle' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_closed_total', { protocol: 'kafka', reason: 'evicted' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_closed_total', { protocol: 'kafka' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_refused_total', { protocol: 'amqp' })).toBe(1);
    expect(await valueOf(metrics, 'hookline_dispatcher_broker_clients_refused_total', { protocol: 'kafka' })).toBe(0);
  });
});
