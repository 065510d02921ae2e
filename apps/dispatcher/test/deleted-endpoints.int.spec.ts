import { EndpointId } from '@hookline/contracts';
import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';
import { sumOfSeries } from './support/measure';

jest.setTimeout(120_000);

/** The breaker series of one endpoint in a /metrics text, if any. */
const breakerSeries = (metrics: string, endpointId: string): string[] =>
  metrics.split('\n').filter((line) => line.startsWith('hookline_dispatcher_endpoint_breaker_state{') && line.includes(`"${endpointId}"`));

describe('what the dispatcher holds for a deleted endpoint (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('deleted-endpoints', {
    BREAKER_WINDOW_SECONDS: '30', BREAKER_MIN_VOLUME: '4', BREAKER_FAILURE_RATIO: '0.5', BREAKER_OPEN_SECONDS: '60',
    RETRY_SCHEDULE_SECONDS: '0,0.2,0.2,0.2,0.2,0.2',
  });

  /** The endpoint's rows in the dispatcher's tables other than its deliveries: breaker, failing run, send slot, certificate warnings. */
  const rowsOf = async (endpointId: string) =>
    (await h.pg.query(
      `SELECT 'breaker' AS t FROM dispatcher.endpoint_breakers WHERE endpoint_id = $1
       UNION ALL SELECT 'health' FROM dispatcher.endpoint_health WHERE endpoint_id = $1
       UNION ALL SELECT 'slot' FROM dispatcher.endpoint_send_slots WHERE endpoint_id = $1
       UNION ALL SELECT 'warning' FROM dispatcher.certificate_warnings WHERE endpoint_id = $1 ORDER BY 1`,
      [endpointId],
    )).rows.map((r: { t: string }) => r.t);

  /** A failing, rate-limited endpoint with an open (shared) breaker, a send slot, a failing run and a certificate warning raised. */
  const openBreaker = async (eventType: string) => {
    const r = await startReceiver((_req, res) => void res.writeHead(503).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: [eventType], rate_limit_per_second: 100 });
    for (let i = 0; i < 4; i++) await h.publish(eventType, { i });
    await waitFor(() => h.events('endpoint.breaker_changed.v1', ep.endpointId).some((e) => e.data.state === 'open'), 20_000);
    await h.pg.query(`INSERT INTO dispatcher.certificate_warnings (endpoint_id, fingerprint_sha256, stage) VALUES ($1, 'fp', 'expiring')`, [ep.endpointId]);
    expect(await rowsOf(ep.endpointId)).toEqual(['breaker', 'health', 'slot', 'warning']);
    return ep;
  };

  /** The endpoint's deliveries in the retry store, and the delivery.dropped.v1 events announced for it. */
  const waiting = async (endpointId: EndpointId) => (await h.parkedRows(endpointId)).map((row) => row.delivery_id as string).sort();
  const droppedIds = (endpointId: EndpointId) => h.events('delivery.dropped.v1', endpointId).map((e) => e.data.delivery_id as string).sort();

  it("drops a deleted endpoint's open breaker from /metrics, its rows from the dispatcher's tables, and its waiting deliveries", async () => {
    const ep = await openBreaker('forget.live');
    expect(breakerSeries(await h.scrape(), ep.endpointId)).toEqual([expect.stringMatching(/state="open".* 1$/)]);
    const parked = await waiting(ep.endpointId);
    expect(parked).toHaveLength(4); // behind the open breaker

    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await waitFor(async () => (await rowsOf(ep.endpointId)).length === 0, 20_000, 'rows forgotten');
    // Dropped at once (the breaker would hold them for another minute), each announced so the read models see it.
    await waitFor(() => droppedIds(ep.endpointId).length === 4, 10_000, 'dropped announced');
    expect(droppedIds(ep.endpointId)).toEqual(parked);
    expect(h.events('delivery.dropped.v1', ep.endpointId)[0].data).toMatchObject({ reason: 'endpoint_deleted', endpoint_id: ep.endpointId });
    // Each is announced before its row goes (a crash in between drops it again, never silently): the rows follow.
    await waitFor(async () => (await waiting(ep.endpointId)).length === 0, 5_000, 'rows deleted after their announcement');
    expect(sumOfSeries(await h.metrics!.registry.metrics(), 'hookline_dispatcher_dropped_total')).toBe(4);
    // A scrape refreshes the breaker gauges at most every 5 s: wait for one that does.
    await waitFor(async () => breakerSeries(await h.scrape(), ep.endpointId).length === 0, 20_000, 'breaker series gone');
  });

  it('forgets at start-up the rows of an endpoint deleted while it was down, and keeps those of live endpoints', async () => {
    const [ep, live] = [await openBreaker('forget.restart'), await openBreaker('forget.kept')];
    await h.stopDispatcher();
    const parked = await waiting(ep.endpointId);
    expect(parked).toHaveLength(4);
    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await h.startDispatcher(h.env);
    expect(await rowsOf(ep.endpointId)).toEqual([]);
    expect(await waiting(ep.endpointId)).toEqual([]);
    await waitFor(() => droppedIds(ep.endpointId).length === 4, 10_000, 'dropped announced');
    expect(droppedIds(ep.endpointId)).toEqual(parked);
    expect(await rowsOf(live.endpointId)).toEqual(['breaker', 'health', 'slot', 'warning']);
    expect(await waiting(live.endpointId)).toHaveLength(4);
    expect(droppedIds(live.endpointId)).toEqual([]);
  });

  it('drops the delivery of an attempt under way at the deletion once that attempt has settled its row', async () => {
    let answer!: () => void;
    const answered = new Promise<void>((res) => (answer = res));
    const r = await startReceiver(async (_req, res) => {
      await answered;
      res.writeHead(500).end();
    });
    receivers.push(r);
    // Its own schedule waits a minute before the retry, so only the second sweep can drop it in time.
    const ep = await h.createEndpoint(r.url, { event_types: ['forget.held'], retry_schedule_seconds: [60] });
    await h.publish('forget.held', { n: 1 });
    await r.waitForRequests(1);
    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await new Promise((res) => setTimeout(res, 500));
    answer(); // the attempt fails after the deletion was read: its retry is written for a minute from now
    await waitFor(async () => (await waiting(ep.endpointId)).length === 1, 10_000, 'retry row written');

    // The sweep again after the longest attempt (2 × DELIVERY_TIMEOUT_MS + 5 s = 9 s here) drops it.
    await waitFor(() => droppedIds(ep.endpointId).length === 1, 15_000, 'dropped after the attempt settled');
    expect(h.events('delivery.dropped.v1', ep.endpointId)[0].data).toMatchObject({ attempts: 1, reason: 'endpoint_deleted' });
    await waitFor(async () => (await waiting(ep.endpointId)).length === 0, 5_000, 'row deleted after its announcement');
    expect(r.requests).toHaveLength(1);
  });
});
