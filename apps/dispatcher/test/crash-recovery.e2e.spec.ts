import { startReceiver, waitFor } from '@hookline/testing';
import { Webhook } from 'standardwebhooks';
import { KILL_TEST_ENV, createEndpoints, flakyReceiver, messageBatches, reportDeliveries, uniqueIds } from './support/load-under-failure';
import { processSuite } from './support/process-suite';

jest.setTimeout(240_000);

const MESSAGES = 5000;
const KILLS = 4;

/**
 * kill -9 at random moments, restart, repeat; then every message must have reached every subscribed endpoint at
 * least once, duplicates carrying the same webhook-id. One endpoint fails 10 % of attempts so the durable retry path
 * is crashed into as well.
 */
describe('crash recovery: SIGKILL the dispatcher process repeatedly (real Kafka, real Postgres)', () => {
  const suite = processSuite('crash', { partitions: 6, maxBatch: 1000 });

  it('loses nothing: every message reaches every subscribed endpoint at least once', async () => {
    const steady = await startReceiver();
    const flaky = await flakyReceiver();
    const filteredOut = await startReceiver();
    suite.receivers.push(steady, flaky.receiver, filteredOut);
    const [epSteady] = await createEndpoints(suite, [
      [steady.url], [flaky.receiver.url, { event_types: ['crash.test'] }], [filteredOut.url, { event_types: ['something.else'] }],
    ]);

    const messages = messageBatches(suite, 'crash.test');
    await suite.producer.appendMany(messages.batch(0, 2000));
    const dispatcher = suite.dispatcher(KILL_TEST_ENV);

    const produced = [2000, 3000, 4000, 5000];
    for (let k = 0; k < KILLS; k++) {
      await dispatcher.start();
      if (produced[k] < MESSAGES) void suite.producer.appendMany(messages.batch(produced[k], produced[k + 1]));
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2500));
      await dispatcher.kill();
    }
    await suite.producer.appendMany(messages.batch(messages.ids.length, MESSAGES));
    expect(messages.ids).toHaveLength(MESSAGES);
    await dispatcher.start();

    // The flaky endpoint answers 500 now and then; there a message counts once an attempt got its 204.
    await waitFor(() => uniqueIds(steady).size >= MESSAGES && flaky.ok.size >= MESSAGES, 90_000, 'all messages delivered', 250);

    expect(reportDeliveries('crash test', 'steady', steady, uniqueIds(steady), messages.ids)).toEqual({ lost: 0, unknown: 0 });
    expect(reportDeliveries('crash test', 'flaky, 10 % 500s (delivered = got a 204)', flaky.receiver, flaky.ok, messages.ids))
      .toEqual({ lost: 0, unknown: 0 });
    expect(filteredOut.requests).toHaveLength(0);

    // A duplicate is the same delivery again: same webhook-id, valid signature.
    const verifier = new Webhook(epSteady.secret);
    for (const q of steady.requests.slice(-50)) expect(verifier.verify(q.body, q.headers)).toBeTruthy();
    process.stdout.write(`crash test: ${KILLS} kill -9s, ${dispatcher.starts} starts\n`);

    expect(await dispatcher.terminate()).toBe(0);
  });
});
