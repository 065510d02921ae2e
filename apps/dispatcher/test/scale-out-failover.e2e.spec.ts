import { startReceiver, waitFor } from '@hookline/testing';
import { KILL_TEST_ENV, createEndpoints, flakyReceiver, messageBatches, reportDeliveries, uniqueIds } from './support/load-under-failure';
import { busiestWindow, sumOfSeries } from './support/measure';
import { processSuite } from './support/process-suite';

jest.setTimeout(240_000);

const MESSAGES = 3000;
const RATE = 200;
const CAP = 8;

/** Attempts a dispatcher process made, from its /metrics. */
async function attemptsOf(port: number): Promise<number> {
  return sumOfSeries(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'hookline_dispatcher_attempts_total');
}

/**
 * Two dispatcher processes share the work; one is killed with SIGKILL mid-flow and never comes back. The other must
 * take over its partitions (after the group's session timeout) and the retry rows it had leased (after their lease),
 * so every message still reaches every endpoint, and the shared rate limit and in-flight cap hold before, during and
 * after (the dead instance's share of the cap is left alone until its row expires).
 */
describe('scale-out: two dispatcher processes, one killed for good (real Kafka, real Postgres)', () => {
  const suite = processSuite('failover', { partitions: 6, maxBatch: 500 });

  it('the survivor delivers everything the dead instance left, and the rate limit and the in-flight cap hold across both', async () => {
    const steady = await startReceiver();
    const flaky = await flakyReceiver();
    const limited = await startReceiver();
    // Holds each request 20 ms, and counts how many it holds at most at once.
    const concurrency = { open: 0, most: 0 };
    const capped = await startReceiver((_req, res) => {
      concurrency.most = Math.max(concurrency.most, ++concurrency.open);
      setTimeout(() => {
        concurrency.open -= 1;
        res.writeHead(200).end();
      }, 20);
    });
    suite.receivers.push(steady, flaky.receiver, limited, capped);
    await createEndpoints(suite, [[steady.url], [flaky.receiver.url], [limited.url, { rate_limit_per_second: RATE }], [capped.url, { max_in_flight: CAP }]]);
    const messages = messageBatches(suite, 'failover.test');

    const env = { ...KILL_TEST_ENV, DELIVERY_TIMEOUT_MS: '2000' };
    const [a, b] = [suite.dispatcher({ ...env, INSTANCE_ID: 'a' }), suite.dispatcher({ ...env, INSTANCE_ID: 'b' })];
    await Promise.all([a.start(), b.start()]);

    await suite.producer.appendMany(messages.batch(0, MESSAGES / 2));
    // Let both work for a while, then kill one in the middle of it; the rest is published after.
    await waitFor(async () => (await attemptsOf(a.port)) > 300 && (await attemptsOf(b.port)) > 300, 30_000, 'both instances sending', 100);
    await a.kill();
    await suite.producer.appendMany(messages.batch(MESSAGES / 2, MESSAGES));

    // Partitions move after the session timeout; rows the dead instance had leased wait out their lease (2 s + 30 s).
    await waitFor(() => uniqueIds(steady).size >= MESSAGES && flaky.ok.size >= MESSAGES && uniqueIds(limited).size >= MESSAGES && uniqueIds(capped).size >= MESSAGES,
      120_000, 'all messages delivered by the survivor', 250);
    for (const [name, r, delivered] of [['steady', steady, uniqueIds(steady)], ['flaky', flaky.receiver, flaky.ok], ['rate-limited', limited, uniqueIds(limited)], ['capped', capped, uniqueIds(capped)]] as const) {
      expect(reportDeliveries('failover test', name, r, delivered, messages.ids)).toEqual({ lost: 0, unknown: 0 });
    }

    // The rate-limited endpoint, counted at arrival over the whole run: its rate plus a burst in any second, with a
    // tenth more for arrival jitter (the limit is on sends).
    const busiest = busiestWindow(limited.requests.map((q) => q.receivedAt), 1000);
    process.stdout.write(`failover test: busiest second at the rate-limited endpoint ${busiest} (limit ${RATE}/s, burst ${RATE})\n`);
    expect(busiest).toBeLessThanOrEqual(2 * RATE * 1.1);
    // The capped endpoint never held more than its max_in_flight at once, though two processes sent to it, one of them
    // killed while its requests were open; and the cap was used.
    process.stdout.write(`failover test: most requests open at once at the capped endpoint ${concurrency.most} (max_in_flight ${CAP})\n`);
    expect(concurrency.most).toBeLessThanOrEqual(CAP);
    expect(concurrency.most).toBeGreaterThanOrEqual(CAP / 2);
    expect(await b.terminate()).toBe(0);
  });
});
