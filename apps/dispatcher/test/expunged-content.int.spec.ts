import { EndpointId, MessageId } from '@hookline/contracts';
import { TestReceiver, startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(120_000);

const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

/**
 * message.content_expunged.v1 in the dispatcher: the message's deliveries still waiting in the retry store are dropped
 * (announced as delivery.dropped.v1, reason content_expunged), its dead-lettered ones too (they hold the content), and
 * no retry of it is sent afterwards, not even one parked by an attempt that was under way when the expunge was read.
 */
describe("an expunged message's deliveries (real Kafka, real Postgres)", () => {
  const { h, receivers } = dispatcherSuite('expunged-content', { RETRY_SCHEDULE_SECONDS: '0,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5', RETRY_POLL_INTERVAL_MS: '100' });

  const expunge = (messageId: MessageId) => h.appendMessage({ type: 'message.content_expunged.v1', data: { message_id: messageId } });
  const rowsOf = async (endpointId: EndpointId) => (await h.parkedRows(endpointId)).map((r) => ({ message_id: r.message_id, state: r.state }));
  const requestsFor = (r: TestReceiver, marker: string, path = '/') => r.requests.filter((q) => q.path === path && q.body.includes(marker)).length;

  it('drops its waiting and dead-lettered deliveries, announced, and sends none of them again; the other messages carry on', async () => {
    const failing = await startReceiver((_req, res) => void res.writeHead(503).end());
    receivers.push(failing);
    // Retries 2 s apart on one endpoint; a single quick one on the other (its deliveries are soon dead-lettered).
    const retrying = await h.createEndpoint(`${failing.url}/retrying`, { event_types: ['customer.updated'], retry_schedule_seconds: [2, 2, 2, 2, 2] });
    const once = await h.createEndpoint(`${failing.url}/once`, { event_types: ['customer.updated'], retry_schedule_seconds: [0.1] });
    const secret = await h.publish('customer.updated', { marker: 'secret-ssn' });
    const other = await h.publish('customer.updated', { marker: 'other-msg' });
    await waitFor(async () => (await rowsOf(retrying.endpointId)).length === 2
      && (await rowsOf(once.endpointId)).filter((r) => r.state === 'dead').length === 2, 20_000, 'rows parked and dead');

    await expunge(secret);
    await waitFor(() => h.events('delivery.dropped.v1', retrying.endpointId).length === 1, 20_000, 'dropped announced');
    expect(h.events('delivery.dropped.v1', retrying.endpointId)[0].data).toMatchObject({ message_id: secret, reason: 'content_expunged', attempts: 1 });
    // A dead letter stays one (no dropped event for it), but its row, and the content in it, are gone.
    expect(h.events('delivery.dropped.v1', once.endpointId)).toEqual([]);
    await waitFor(async () => (await rowsOf(once.endpointId)).length === 1, 10_000, 'dead row of the expunged message gone');
    expect(await rowsOf(retrying.endpointId)).toEqual([{ message_id: other, state: 'scheduled' }]);
    expect(await rowsOf(once.endpointId)).toEqual([{ message_id: other, state: 'dead' }]);
    const { rows } = await h.pg.query('SELECT tenant_id FROM dispatcher.expunged_messages WHERE message_id = $1', [secret]);
    expect(rows).toEqual([{ tenant_id: h.tenantId }]);

    // The other message is retried 2 s after its first attempt; the expunged one, due then too, never again.
    await waitFor(() => requestsFor(failing, 'other-msg', '/retrying') >= 2, 20_000, 'the other message retried');
    await pause(500);
    expect(requestsFor(failing, 'secret-ssn', '/retrying')).toBe(1);
  });

  it('never sends the retry of an attempt that was under way when the expunge was read', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = await startReceiver(async (_req, res) => {
      await held;
      res.writeHead(503).end();
    });
    receivers.push(slow);
    const ep = await h.createEndpoint(slow.url, { event_types: ['invoice.paid'] });
    const messageId = await h.publish('invoice.paid', { marker: 'in-flight' });
    await waitFor(() => slow.requests.length === 1, 20_000, 'the first attempt under way');
    await expunge(messageId);
    // The dispatcher notes the expunge (the retry worker checks it at every claim) while the attempt still runs.
    await waitFor(async () => (await h.pg.query('SELECT 1 FROM dispatcher.expunged_messages WHERE message_id = $1', [messageId])).rows.length === 1,
      20_000, 'expunge noted');
    release();
    // The attempt fails and parks a retry due 0.5 s later; the worker, polling every 100 ms, drops it instead.
    await waitFor(() => h.events('delivery.dropped.v1', ep.endpointId).length === 1, 20_000, 'the retry dropped');
    expect(h.events('delivery.dropped.v1', ep.endpointId)[0].data).toMatchObject({ message_id: messageId, reason: 'content_expunged' });
    await pause(1500);
    expect(slow.requests).toHaveLength(1);
    expect(await rowsOf(ep.endpointId)).toEqual([]);
  });
});
