import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(90_000);

describe('circuit breaker and auto-disable (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('breaker', {
    BREAKER_WINDOW_SECONDS: '30', BREAKER_MIN_VOLUME: '4', BREAKER_FAILURE_RATIO: '0.5', BREAKER_OPEN_SECONDS: '1.5',
    RETRY_SCHEDULE_SECONDS: '0,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2', AUTO_DISABLE_AFTER_HOURS: '0.001', // 3.6 s
  });

  it('opens after enough failures, parks instead of sending, lets one half-open probe through, and closes on its success', async () => {
    let healthy = false;
    const r = await startReceiver((_req, res) => void res.writeHead(healthy ? 200 : 503).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['breaker.test'] });
    for (let i = 0; i < 4; i++) await h.publish('breaker.test', { i });
    const opened = await waitFor(() => h.events('endpoint.breaker_changed.v1', ep.endpointId).find((e) => e.data.state === 'open'), 20_000);
    expect(opened).toMatchObject({ topicKey: 'operational', key: h.tenantId });
    expect(opened.data.failure_ratio).toBeGreaterThanOrEqual(0.5);

    // While open, nothing reaches the endpoint: new deliveries are parked with reason breaker_open.
    const sentWhenOpened = r.requests.length;
    await h.publish('breaker.test', { i: 'while-open' });
    await waitFor(() => h.events('delivery.parked.v1', ep.endpointId).some((e) => e.data.reason === 'breaker_open'), 20_000);
    expect(r.requests.length).toBeLessThanOrEqual(sentWhenOpened + 1);

    healthy = true;
    await waitFor(() => h.events('endpoint.breaker_changed.v1', ep.endpointId).some((e) => e.data.state === 'half_open'), 20_000);
    await waitFor(() => h.events('endpoint.breaker_changed.v1', ep.endpointId).some((e) => e.data.state === 'closed'), 20_000);
    const states = h.events('endpoint.breaker_changed.v1', ep.endpointId).map((e) => e.data.state);
    expect(states.slice(0, 3)).toEqual(['open', 'half_open', 'closed']);
    // Everything parked goes out once closed.
    await waitFor(() => new Set(r.requests.filter((q) => q.headers['webhook-attempt'] && q.body).map((q) => q.headers['webhook-id'])).size === 5, 30_000);
    await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 20_000, 'no parked rows left');
  });

  it("an endpoint's own thresholds: it opens after its own minimum attempts, for its own open period, while its neighbour on the deployment's stays closed until an update lowers its own", async () => {
    const r = await startReceiver((_req, res) => void res.writeHead(503).end());
    receivers.push(r);
    // Retries a minute away: each message is attempted once during the test, so the attempts are counted exactly.
    const retries = { retry_schedule_seconds: [60] };
    const own = await h.createEndpoint(r.url, { event_types: ['breaker.own'], ...retries, circuit_breaker: { minimum_attempts: 2, open_seconds: 0.5 } });
    const neighbour = await h.createEndpoint(r.url, { event_types: ['breaker.neighbour'], ...retries });
    for (let i = 0; i < 2; i++) {
      await h.publish('breaker.own', { i });
      await h.publish('breaker.neighbour', { i });
    }
    const opened = await waitFor(() => h.events('endpoint.breaker_changed.v1', own.endpointId).find((e) => e.data.state === 'open'), 20_000);
    // Only two messages, each attempted once (retries a minute away), and the deployment's minimum is 4: the open came
    // from the endpoint's own minimum. The attempts travel on another topic than the breaker event, so they may land after it.
    await waitFor(() => h.events('delivery.attempted.v1', own.endpointId).length >= 2, 20_000);
    expect(h.events('delivery.attempted.v1', own.endpointId)).toHaveLength(2);
    // Held open for its own 0.5 s, not the deployment's 1.5 s (the row every instance follows).
    const { rows } = await h.pg.query(
      'SELECT state, (extract(epoch FROM open_until) * 1000)::float8 AS open_until FROM dispatcher.endpoint_breakers WHERE endpoint_id = $1', [own.endpointId]);
    expect(rows[0].state).toBe('open');
    expect(rows[0].open_until - Date.parse(opened.occurred_at)).toBeLessThan(1000);

    // Two failures of two, and the breaker held across instances has had its say (BREAKER_SYNC_MS 1 s): still closed.
    await waitFor(() => h.events('delivery.attempted.v1', neighbour.endpointId).length === 2, 20_000);
    await new Promise((res) => setTimeout(res, 1500));
    expect(h.events('endpoint.breaker_changed.v1', neighbour.endpointId)).toEqual([]);

    // Its own minimum of 3, set now, counts the two failures already in its window: the third opens it, no restart.
    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: neighbour.endpointId, circuit_breaker: { minimum_attempts: 3 } } });
    await new Promise((res) => setTimeout(res, 500));
    await h.publish('breaker.neighbour', { i: 2 });
    const neighbourOpened = await waitFor(() => h.events('endpoint.breaker_changed.v1', neighbour.endpointId)[0], 20_000);
    expect(neighbourOpened.data).toMatchObject({ state: 'open', failure_ratio: 1 });
    await waitFor(() => h.events('delivery.attempted.v1', neighbour.endpointId).length >= 3, 20_000);
    expect(h.events('delivery.attempted.v1', neighbour.endpointId)).toHaveLength(3);
  });

  it('disables an endpoint that has failed continuously for longer than AUTO_DISABLE_AFTER_HOURS', async () => {
    const r = await startReceiver((_req, res) => void res.writeHead(500).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['disable.test'] });
    await h.publish('disable.test', { i: 1 });
    const disabled = await waitFor(() => h.events('endpoint.auto_disabled.v1', ep.endpointId)[0], 30_000);
    expect(disabled.data.reason).toBe('failing');
    const firstFailure = Date.parse(h.events('delivery.attempted.v1', ep.endpointId)[0].data.started_at);
    expect(Date.parse(disabled.occurred_at) - firstFailure).toBeGreaterThanOrEqual(3600 - 100);
    // The waiting delivery becomes a dead letter (recoverable once the endpoint is enabled again).
    const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId)[0], 20_000);
    expect(dead.data.cause).toBe('endpoint_disabled');
    const { rows } = await h.pg.query('SELECT * FROM dispatcher.endpoint_health WHERE endpoint_id = $1', [ep.endpointId]);
    expect(rows).toEqual([]);
  });

  it("follows an endpoint's own threshold: sooner than the deployment's, or never (0) however long it fails", async () => {
    const r = await startReceiver((_req, res) => void res.writeHead(500).end());
    receivers.push(r);
    const soon = await h.createEndpoint(r.url, { event_types: ['disable.soon'], auto_disable_after_hours: 0.0003 }); // 1.08 s
    const never = await h.createEndpoint(r.url, { event_types: ['disable.never'], auto_disable_after_hours: 0 });
    await h.publish('disable.soon', { i: 1 });
    // The never-disabled endpoint keeps failing well past the deployment's 3.6 s: a new message every 400 ms for 5 s.
    const started = Date.now();
    while (Date.now() - started < 5000) {
      await h.publish('disable.never', { at: Date.now() });
      await new Promise((res) => setTimeout(res, 400));
    }
    const disabled = h.events('endpoint.auto_disabled.v1', soon.endpointId)[0];
    expect(disabled?.data.reason).toBe('failing');
    const firstFailure = Date.parse(h.events('delivery.attempted.v1', soon.endpointId)[0].data.started_at);
    expect(Date.parse(disabled.occurred_at) - firstFailure).toBeGreaterThanOrEqual(1080 - 100);
    expect(Date.parse(disabled.occurred_at) - firstFailure).toBeLessThan(3600);

    const neverAttempts = h.events('delivery.attempted.v1', never.endpointId).map((e) => Date.parse(e.data.started_at));
    expect(Math.max(...neverAttempts) - Math.min(...neverAttempts)).toBeGreaterThan(3600);
    expect(h.events('endpoint.auto_disabled.v1', never.endpointId)).toEqual([]);
  });
});
