import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(90_000);

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

  it("drops a deleted endpoint's open breaker from /metrics and its rows from the dispatcher's tables", async () => {
    const ep = await openBreaker('forget.live');
    expect(breakerSeries(await h.scrape(), ep.endpointId)).toEqual([expect.stringMatching(/state="open".* 1$/)]);

    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await waitFor(async () => (await rowsOf(ep.endpointId)).length === 0, 20_000, 'rows forgotten');
    // A scrape refreshes the breaker gauges at most every 5 s: wait for one that does.
    await waitFor(async () => breakerSeries(await h.scrape(), ep.endpointId).length === 0, 20_000, 'breaker series gone');
  });

  it('forgets at start-up the rows of an endpoint deleted while it was down, and keeps those of live endpoints', async () => {
    const [ep, live] = [await openBreaker('forget.restart'), await openBreaker('forget.kept')];
    await h.stopDispatcher();
    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await h.startDispatcher(h.env);
    expect(await rowsOf(ep.endpointId)).toEqual([]);
    expect(await rowsOf(live.endpointId)).toEqual(['breaker', 'health', 'slot', 'warning']);
  });
});
