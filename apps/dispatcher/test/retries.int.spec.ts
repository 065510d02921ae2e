import { startReceiver, TestReceiver, waitFor } from '@hookline/testing';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(90_000);

/**
 * Schedule in these tests: attempt 1 at once, then 1 s, then 2 s (3 attempts), ±20 % jitter; throttle floor 1.5 s; a
 * delivery is reported failing when its second attempt fails.
 */
describe('retries, throttling, dead letters and 410 (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('retries');
  const receivers: TestReceiver[] = [];
  const receiver = async (status: number, headers: Record<string, string> = {}) => {
    const r = await startReceiver((_req, res) => void res.writeHead(status, headers).end(`status ${status}`));
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    await h.setUp();
    await h.startDispatcher({
      RETRY_SCHEDULE_SECONDS: '0,1,2', RETRY_JITTER: '0.2', MIN_DELAY_AFTER_THROTTLE_SECONDS: '1.5', DELIVERY_TIMEOUT_MS: '500', PARK_AFTER_MS: '5000',
      ALERT_FAILING_AFTER_ATTEMPTS: '2',
    });
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('retries on the schedule within the jitter bounds, then dead-letters on both topics with an operational event', async () => {
    const failing = await receiver(500);
    const ep = await h.createEndpoint(failing.url);
    const messageId = await h.publish('order.created', { n: 1 });
    const reqs = await failing.waitForRequests(3, 20_000);
    expect(reqs.map((r) => r.headers['webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(reqs.map((r) => r.headers['webhook-id']))).toEqual(new Set([messageId]));
    const gap1 = reqs[1].receivedAt - reqs[0].receivedAt;
    const gap2 = reqs[2].receivedAt - reqs[1].receivedAt;
    // Scheduled 1 s and 2 s, ±20 %; the upper bound is generous for the worker's polling and CI noise.
    expect(gap1).toBeGreaterThanOrEqual(800 - 50);
    expect(gap1).toBeLessThan(1200 + 1500);
    expect(gap2).toBeGreaterThanOrEqual(1600 - 50);
    expect(gap2).toBeLessThan(2400 + 1500);

    const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).filter((e) => e.topicKey === 'deadLetters')[0]);
    expect(dead.data).toMatchObject({ message_id: messageId, attempts: 3, last_error: 'HTTP 500', payload: { n: 1 }, cause: 'exhausted' });
    expect(dead.key).toBe(ep.endpointId);
    await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).some((e) => e.topicKey === 'deliveries'));
    const exhausted = await waitFor(() => h.events('delivery.attempts_exhausted.v1', ep.endpointId)[0]);
    expect(exhausted).toMatchObject({ topicKey: 'operational', key: h.tenantId, data: { attempts: 3 } });
    // Attempt events go to the deliveries topic, the exhaustion to the operational one: the last attempt may be seen later.
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 3);
    const attempts = h.events('delivery.attempted.v1', ep.endpointId);
    expect(attempts.map((a) => a.data.status)).toEqual(['retrying', 'retrying', 'dead_lettered']);
    expect(attempts[0].data.next_attempt_at).not.toBeNull();
    expect(attempts.map((a) => a.data.trigger)).toEqual(['initial', 'retry', 'retry']);
    const [row] = await h.parkedRows(ep.endpointId);
    expect(row).toMatchObject({ state: 'dead', last_error: 'HTTP 500' });
    // The heads-up came after the second attempt, while a third was still to come; nothing recovered.
    expect(h.events('delivery.attempts_failing.v1', ep.endpointId).map((e) => e.data)).toEqual([expect.objectContaining({
      message_id: messageId, failed_attempts: 2, last_error: 'HTTP 500', next_attempt_at: attempts[1].data.next_attempt_at })]);
    expect(h.events('delivery.recovered.v1', ep.endpointId)).toEqual([]);
    await new Promise((r) => setTimeout(r, 2500));
    expect(failing.requests).toHaveLength(3);
  });

  it('reports a delivery failing after its second failed attempt, and recovered when a later attempt succeeds', async () => {
    let calls = 0;
    const flaky = await startReceiver((_req, res) => void res.writeHead((calls += 1) <= 2 ? 503 : 200).end());
    receivers.push(flaky);
    const ep = await h.createEndpoint(flaky.url);
    const messageId = await h.publish('order.created', { n: 'flaky' });
    const recovered = await waitFor(() => h.events('delivery.recovered.v1', ep.endpointId)[0], 20_000);
    expect(recovered).toMatchObject({ topicKey: 'operational', key: h.tenantId, data: { message_id: messageId, event_type: 'order.created', attempt: 3 } });
    const [failing] = h.events('delivery.attempts_failing.v1', ep.endpointId);
    expect(failing.data).toMatchObject({ message_id: messageId, delivery_id: recovered.data.delivery_id, failed_attempts: 2, last_error: 'HTTP 503' });
    expect(Date.parse(failing.occurred_at)).toBeLessThanOrEqual(Date.parse(recovered.occurred_at));
    expect(flaky.requests).toHaveLength(3);
  });

  it('honours Retry-After on a 429 (never sooner than the throttle floor)', async () => {
    const throttled = await receiver(429, { 'retry-after': '2' });
    const ep = await h.createEndpoint(throttled.url);
    await h.publish('order.created', { n: 2 });
    const reqs = await throttled.waitForRequests(2, 20_000);
    expect(reqs[1].receivedAt - reqs[0].receivedAt).toBeGreaterThanOrEqual(1950);
    const first = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(first.data.response?.status).toBe(429);
    expect(Date.parse(first.data.next_attempt_at!) - Date.parse(first.data.started_at)).toBeGreaterThanOrEqual(1900);
  });

  it('a timeout is a failed attempt classed timeout, retried no sooner than the throttle floor', async () => {
    const slow = await startReceiver((_req, res) => void setTimeout(() => res.writeHead(200).end(), 1500));
    receivers.push(slow);
    const ep = await h.createEndpoint(slow.url, { retry_schedule_seconds: [0.1] });
    await h.publish('order.created', { n: 3 });
    const reqs = await slow.waitForRequests(2, 20_000);
    expect(reqs[1].receivedAt - reqs[0].receivedAt).toBeGreaterThanOrEqual(1450);
    const first = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(first.data.error?.class).toBe('timeout');
  });

  it('410 Gone disables the endpoint at once and asks for endpoint.disabled via endpoint.auto_disabled.v1', async () => {
    const gone = await receiver(410);
    const ep = await h.createEndpoint(gone.url);
    await h.publish('order.created', { n: 4 });
    const disabled = await waitFor(() => h.events('endpoint.auto_disabled.v1', ep.endpointId)[0]);
    // The version it was judged on (created = 1): the command service applies it only while the endpoint is still there.
    expect(disabled).toMatchObject({ topicKey: 'operational', data: { reason: 'gone', endpoint_version: 1 } });
    // The attempt event goes to another topic than the operational one: it may be seen later.
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(attempt.data.status).toBe('dead_lettered');
    // Dead-lettered because the endpoint asked for no more: a redrive tool can tell it from a run of failures.
    const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId)[0]);
    expect(dead.data).toMatchObject({ cause: 'gone', attempts: 1 });
    await h.publish('order.created', { n: 5 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(gone.requests).toHaveLength(1);
  });
});
