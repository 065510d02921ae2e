import { startReceiver, waitFor } from '@hookline/testing';
import { KILL_TEST_ENV, createEndpoints, flakyReceiver, messageBatches, reportDeliveries, uniqueIds } from './support/load-under-failure';
import { busiestWindow, sumOfSeries } from './support/measure';
import { processSuite } from './support/process-suite';

jest.setTimeout(240_000);

const MESSAGES = 3000;
const RATE = 200;

/** Attempts a dispatcher process made, from its /metrics. */
async function attemptsOf(port: number): Promise<number> {
  return sumOfSeries(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'hookline_dispatcher_attempts_total');
}

/**
 * Two dispatcher processes share the work; one is killed with SIGKILL mid-flow and never comes back. The other must
 * take over its partitions (after the group's session timeout) and the retry rows it had leased (after their lease),
 * so every message still reaches every endpoint, and the shared rate limit holds before, during and after.
 */
describe('scale-out: two dispatcher processes, one killed for good (real Kafka, real Postgres)', () => {
  const suite = processSuite('failover', { partitions: 6, maxBatch: 500 });

  it('the survivor delivers everything the dead instance left, and the rate limit holds across both', async () => {
    const steady = await startReceiver();
    const flaky = await flakyReceiver();
    const limited = await startReceiver();
    suite.receivers.push(steady, flaky.receiver, limited);
    await createEndpoints(suite, [[steady.url], [flaky.receiver.url], [limited.url, { rate_limit_per_second: RATE }]]);
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
    await waitFor(() => uniqueIds(steady).size >= MESSAGES && flaky.ok.size >= MESSAGES && uniqueIds(limited).size >= MESSAGES,
      120_000, 'all messages delivered by the survivor', 250);
    for (const [name, r, delivered] of [['steady', steady, uniqueIds(steady)], ['flaky', flaky.receiver, flaky.ok], ['rate-limited', limited, uniqueIds(limited)]] as const) {
      expect(reportDeliveries('failover test', name, r, delivered, messages.ids)).toEqual({ lost: 0, unknown: 0 });
    }

    // The rate-limited endpoint, counted at arrival over the whole run: its rate plus a burst in any second, with a
    // tenth more for arrival jitter (the limit is on sends).
    const busiest = busiestWindow(limited.requests.map((q) => q.receivedAt), 1000);
    process.stdout.write(`failover test: busiest second at the rate-limited endpoint ${busiest} (limit ${RATE}/s, burst ${RATE})\n`);
    expect(busiest).toBeLessThanOrEqual(2 * RATE * 1.1);
    expect(await b.terminate()).toBe(0);
  });
});
