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

  const failingRun = async (endpointId: string) =>
    (await h.pg.query('SELECT endpoint_id FROM dispatcher.endpoint_health WHERE endpoint_id = $1', [endpointId])).rows;

  const openBreaker = async (eventType: string) => {
    const r = await startReceiver((_req, res) => void res.writeHead(503).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: [eventType] });
    for (let i = 0; i < 4; i++) await h.publish(eventType, { i });
    await waitFor(() => h.events('endpoint.breaker_changed.v1', ep.endpointId).some((e) => e.data.state === 'open'), 20_000);
    return ep;
  };

  it("drops a deleted endpoint's open breaker from /metrics and its failing run from the health table", async () => {
    const ep = await openBreaker('forget.live');
    expect(breakerSeries(await h.scrape(), ep.endpointId)).toEqual([expect.stringMatching(/state="open".* 1$/)]);
    expect(await failingRun(ep.endpointId)).toHaveLength(1);

    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await waitFor(async () => (await failingRun(ep.endpointId)).length === 0, 20_000, 'failing run forgotten');
    // A scrape refreshes the breaker gauges at most every 5 s: wait for one that does.
    await waitFor(async () => breakerSeries(await h.scrape(), ep.endpointId).length === 0, 20_000, 'breaker series gone');
  });

  it('forgets at start-up the failing run of an endpoint deleted while it was down', async () => {
    const ep = await openBreaker('forget.restart');
    expect(await failingRun(ep.endpointId)).toHaveLength(1);
    await h.stopDispatcher();
    await h.appendConfig({ type: 'endpoint.deleted.v1', data: { endpoint_id: ep.endpointId } });
    await h.startDispatcher(h.env);
    expect(await failingRun(ep.endpointId)).toEqual([]);
  });
});
