import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(120_000);

const MESSAGES = 300;

/**
 * A Postgres failover, restart or an operator's pg_terminate_backend drops every connection the dispatcher holds,
 * in the middle of parking, claiming and settling deliveries. The dispatcher must stay up, and every message must
 * still reach every endpoint: the retry store is where rate-limited and failed deliveries wait.
 */
describe("the dispatcher's Postgres connections killed while deliveries flow (real Kafka, real Postgres)", () => {
  // The flaky endpoint fails half its attempts: its breaker must not open, or its retries would wait a minute for a probe.
  const { h, receivers } = dispatcherSuite('pg-outage', { RETRY_SCHEDULE_SECONDS: '0,0.2,0.2,0.2,0.2,0.2,0.2,0.2', BREAKER_MIN_VOLUME: '1000000' });

  const killConnections = async (): Promise<number> =>
    (await h.pg.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hookline-dispatcher'`,
      [h.db.name])).rowCount ?? 0;

  it('keeps delivering every message to every endpoint, through the retry store, across repeated connection kills', async () => {
    // One endpoint rate-limited (most deliveries parked, then claimed from the store), one failing every first attempt
    // (every delivery retried from the store).
    const limited = await startReceiver((_req, res) => void res.writeHead(204).end());
    const [seen, accepted] = [new Set<string>(), new Set<string>()];
    const flaky = await startReceiver((req, res) => {
      const id = String(req.headers['webhook-id']);
      const first = !seen.has(id);
      seen.add(id);
      if (!first) accepted.add(id);
      res.writeHead(first ? 503 : 204).end();
    });
    receivers.push(limited, flaky);
    await h.createEndpoint(limited.url, { event_types: ['outage.test'], rate_limit_per_second: 100 });
    await h.createEndpoint(flaky.url, { event_types: ['outage.test'] });

    const published: string[] = [];
    const publishing = (async () => {
      for (let i = 0; i < MESSAGES; i++) {
        published.push(await h.publish('outage.test', { i }));
        if (i % 30 === 29) await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let killed = 0;
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 400));
      killed += await killConnections();
    }
    await publishing;
    expect(killed).toBeGreaterThan(0);

    const delivered = (r: typeof limited) => new Set(r.requests.map((q) => String(q.headers['webhook-id'])));
    await waitFor(() => delivered(limited).size === MESSAGES, 60_000, 'every message at the rate-limited endpoint');
    await waitFor(() => accepted.size === MESSAGES, 60_000, 'every message accepted by the flaky endpoint');
    expect(delivered(limited)).toEqual(new Set(published));
    expect(accepted).toEqual(new Set(published));
    await waitFor(async () => (await h.parkedRows()).filter((r) => r.state !== 'dead').length === 0, 30_000, 'nothing left parked');
    // Still up: it takes new work after the outage.
    const after = await h.publish('outage.test', { after: true });
    await waitFor(() => limited.requests.some((q) => q.headers['webhook-id'] === after), 20_000, 'a message published afterwards');
  });

  it('fetches a message again at once when one of its deliveries could not be parked, though nothing else is published', async () => {
    const r = await startReceiver((_req, res) => void res.writeHead(204).end());
    receivers.push(r);
    // One a second: of two messages published together, the second is parked (rate_limited), and its row is refused.
    const ep = await h.createEndpoint(r.url, { event_types: ['refused.park'], rate_limit_per_second: 1 });
    await h.pg.query(`CREATE FUNCTION dispatcher.test_refuse_park() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.endpoint_id = '${ep.endpointId}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await h.pg.query(`CREATE TRIGGER test_refuse_park BEFORE INSERT ON dispatcher.parked_deliveries FOR EACH ROW EXECUTE FUNCTION dispatcher.test_refuse_park()`);
    try {
      const ids = [await h.publish('refused.park', { n: 1 }), await h.publish('refused.park', { n: 2 })];
      await r.waitForRequests(1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await h.pg.query('DROP TRIGGER test_refuse_park ON dispatcher.parked_deliveries');
      // Postgres takes rows again; the topic stays quiet. The refused delivery must not wait for the next message.
      await waitFor(() => ids.every((id) => r.requests.some((q) => q.headers['webhook-id'] === id)), 20_000, 'both messages delivered');
    } finally {
      await h.pg.query('DROP TRIGGER IF EXISTS test_refuse_park ON dispatcher.parked_deliveries');
      await h.pg.query('DROP FUNCTION IF EXISTS dispatcher.test_refuse_park()');
    }
  });

  it('does not send a retried delivery again when Postgres could not take its success for longer than the row writer retries', async () => {
    let served = 0;
    const r = await startReceiver((_req, res) => void res.writeHead(served++ === 0 ? 503 : 204).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['refused.remove'] });
    // Postgres refuses to delete the endpoint's rows as if shutting down (57P01): the retry succeeds, but its row stays.
    await h.pg.query(`CREATE FUNCTION dispatcher.test_refuse_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF OLD.endpoint_id = '${ep.endpointId}' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '57P01'; END IF; RETURN OLD; END $$`);
    await h.pg.query(`CREATE TRIGGER test_refuse_remove BEFORE DELETE ON dispatcher.parked_deliveries FOR EACH ROW EXECUTE FUNCTION dispatcher.test_refuse_remove()`);
    try {
      const id = await h.publish('refused.remove', { n: 1 });
      await r.waitForRequests(2, 10_000);
      // Longer than the row writer's own retries (about 3.4 s): now only the retry worker can still keep the outcome.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(await h.parkedRows(ep.endpointId)).toHaveLength(1);
      await h.pg.query('DROP TRIGGER test_refuse_remove ON dispatcher.parked_deliveries');
      // Gone within a few seconds, well inside the row's lease (2 s attempt timeout + 30 s), and never sent again.
      await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 5000, 'row of the delivered message removed');
      expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([id, id]);
    } finally {
      await h.pg.query('DROP TRIGGER IF EXISTS test_refuse_remove ON dispatcher.parked_deliveries');
      await h.pg.query('DROP FUNCTION IF EXISTS dispatcher.test_refuse_remove()');
    }
  });
});
