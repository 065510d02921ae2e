import net from 'node:net';
import { createLogger, createMetrics } from '@hookline/observability';
import { ProblemError } from '@hookline/service-kit';
import { AmqpTestScope, openAmqpTestScope, testAmqpUrl, waitFor } from '@hookline/testing';
import { PublishMessageHandler } from '../../commands/publish-message/publish-message.handler';
import { CommandServiceHarness, Json, RecordedEvent, startCommandServiceHarness } from '../../test/command-service.harness';
import type { AmqpSource } from './amqp-sources';
import { startAmqpSources } from './start-amqp-sources';

jest.setTimeout(90_000);

type Publisher = Pick<PublishMessageHandler, 'execute'>;

/**
 * A RabbitMQ queue of the user's own as a source of messages (AMQP_SOURCES), on a real RabbitMQ, Kafka and Postgres:
 * each message becomes a message of the source's tenant through the rules of POST /messages, in ordering-key order,
 * once per message_id; a refused one goes to the queue's dead-letter exchange; none is lost to an outage, a stop or a
 * lost connection.
 */
describe('AMQP sources (real RabbitMQ, real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let amqp: AmqpTestScope;
  let tenantId: string;
  let queue: string;
  let deadQueue: string;
  let dlx: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('amqp-sources');
    ({ tenantId } = await h.tenantWithKey('rabbit', ['invoice.paid', 'invoice.voided']));
    const schema = { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } };
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types/invoice.paid/schemas`, { body: { schema } })).status).toBe(201);
    amqp = await openAmqpTestScope('amqp-sources');
    // The user's own dead-lettering: the source declares nothing, it only refuses with requeue=false.
    dlx = await amqp.exchange('dlx', 'fanout');
    deadQueue = await amqp.queue('dead');
    await amqp.channel.bindQueue(deadQueue, dlx, '');
    queue = await amqp.queue('billing', { arguments: { 'x-dead-letter-exchange': dlx } });
    h.env.AMQP_SOURCES = JSON.stringify([{ name: 'billing', url: amqp.url, queue, tenant_id: tenantId, event_type_header: 'event-type', payload_field: 'data',
      ordering_key_header: 'customer-id' }]);
    await h.restart();
  });
  afterAll(async () => {
    await h?.close();
    await amqp?.close();
  });

  const published = async (): Promise<RecordedEvent[]> =>
    (await h.events('messages')).filter((r) => r.event.type === 'message.published.v1' && r.event.tenant_id === tenantId);
  const payloads = async (marker: string) => (await published()).map((m) => m.event.data as Json).filter((d) => (d.payload as Json)?.marker === marker);
  const send = (q: string, body: unknown, options: { eventType?: string; customer?: string; messageId?: string } = {}) => {
    const headers = { ...(options.eventType ? { 'event-type': options.eventType } : {}), ...(options.customer ? { 'customer-id': options.customer } : {}) };
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    expect(amqp.channel.sendToQueue(q, content, { headers, persistent: true, ...(options.messageId ? { messageId: options.messageId } : {}) })).toBe(true);
  };
  const series = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`));
  /** A source of this test's own, consumed by startAmqpSources in the test process with a publisher it wraps. */
  const ownSource = async (label: string, url = amqp.url): Promise<AmqpSource> => ({
    name: label, url, queue: await amqp.queue(label, { arguments: { 'x-dead-letter-exchange': dlx } }), tenant_id: tenantId,
    event_type: { header: 'event-type' }, payload_field: 'data', ordering_key: { header: 'customer-id' }, idempotency: { message_id: true }, prefetch: 8,
  });
  const logLines: string[] = [];
  const startOwn = (source: AmqpSource, publisher: Publisher, depthIntervalMs = 200) => startAmqpSources([source], {
    publisher,
    metrics: createMetrics({ service: 'amqp-source-test', defaultMetrics: false }),
    log: createLogger({ service: 'amqp-source-test', destination: { write: (line: string) => void logLines.push(line) } }),
    timing: { retryMs: 50, retryMaxMs: 200, reconnectMs: 100, reconnectMaxMs: 500, depthIntervalMs, requestTimeoutMs: 1000 },
  });
  const realPublisher = () => h.running.app.get(PublishMessageHandler);

  it('publishes each valid message as a message of the tenant, in ordering-key order; dead-letters the rest, publishing nothing for them', async () => {
    send(queue, { data: { amount: 1, marker: 'order' } }, { eventType: 'invoice.paid', customer: 'cus_1', messageId: 'm-1' });
    send(queue, { data: { invoice: 'in_2', marker: 'order' } }, { eventType: 'invoice.voided', customer: 'cus_2' });
    send(queue, { data: { amount: 2, marker: 'order' } }, { eventType: 'invoice.paid', customer: 'cus_1', messageId: 'm-2' });
    send(queue, { data: { amount: 'three' } }, { eventType: 'invoice.paid', customer: 'cus_1' }); // the event type's schema refuses it
    send(queue, { data: {} }, { eventType: 'no.such.type', customer: 'cus_3' });
    send(queue, { data: {} }, { customer: 'cus_3' }); // no event type
    send(queue, 'not json', { eventType: 'invoice.paid' });
    send(queue, { data: { amount: 4, marker: 'order' } }, { eventType: 'invoice.paid', customer: 'cus_1', messageId: 'm-4' });

    await waitFor(async () => (await payloads('order')).length === 4, 30_000, 'the four valid messages published');
    const dead = await waitFor(async () => {
      const got = [...(await amqp.drain(deadQueue))];
      return got.length > 0 ? got : null;
    }, 30_000, 'the refused messages on the dead-letter queue');
    while (dead.length < 4) {
      await new Promise((r) => setTimeout(r, 200));
      dead.push(...(await amqp.drain(deadQueue)));
    }
    await new Promise((r) => setTimeout(r, 1000)); // and no others
    expect(dead.map((m) => m.content.toString()).sort()).toEqual([JSON.stringify({ data: {} }), JSON.stringify({ data: {} }), JSON.stringify({ data: { amount: 'three' } }), 'not json'].sort());
    expect(dead.every((m) => (m.properties.headers?.['x-death'] as Array<{ reason: string }>)[0].reason === 'rejected')).toBe(true);

    const messages = (await published()).filter((m) => ((m.event.data as Json).payload as Json)?.marker === 'order');
    expect(messages).toHaveLength(4);
    const data = messages.map((m) => m.event.data as Json);
    expect(data.filter((d) => d.ordering_key === 'cus_1').map((d) => (d.payload as Json).amount)).toEqual([1, 2, 4]);
    expect(data.find((d) => d.ordering_key === 'cus_2')).toMatchObject({ event_type: 'invoice.voided', payload: { invoice: 'in_2', marker: 'order' }, idempotency_key: null });
    expect(data.filter((d) => d.ordering_key === 'cus_1').map((d) => d.idempotency_key)).toEqual(['amqp-source:billing:m-1', 'amqp-source:billing:m-2', 'amqp-source:billing:m-4']);
    expect(messages.filter((m) => (m.event.data as Json).ordering_key === 'cus_1').map((m) => m.key)).toEqual(Array(3).fill(`${tenantId}:cus_1`));
    expect(messages[0].event.actor).toEqual({ kind: 'api_key', id: 'source:billing' });
    expect((await amqp.channel.checkQueue(queue)).messageCount).toBe(0);

    // /metrics: the source's messages by outcome (the Kafka sources' series), the queue's depth, and no URL.
    const body = (await h.running.infra.metrics.render()).body;
    expect(series(body, 'hookline_command_source_records_total')).toEqual(expect.arrayContaining([
      'hookline_command_source_records_total{source="billing",outcome="published",service="command-service"} 4',
      'hookline_command_source_records_total{source="billing",outcome="rejected",service="command-service"} 4',
    ]));
    expect(series(body, 'hookline_amqp_source_queue_messages')).toEqual([`hookline_amqp_source_queue_messages{source="billing",queue="${queue}",service="command-service"} 0`]);
    expect(series(body, 'hookline_amqp_source_connected')).toEqual(['hookline_amqp_source_connected{source="billing",service="command-service"} 1']);
    expect(body).not.toContain('amqp://');
  });

  it('publishes a message once when its message_id comes twice (a redelivery), whether the first publish ended or not', async () => {
    const before = (await published()).length;
    // Without an ordering key the two go at once: the second finds the first's publish under way, and waits for it.
    send(queue, { data: { amount: 5, marker: 'dup' } }, { eventType: 'invoice.paid', messageId: 'dup-1' });
    send(queue, { data: { amount: 5, marker: 'dup' } }, { eventType: 'invoice.paid', messageId: 'dup-1' });
    // One after the other, with a key.
    send(queue, { data: { amount: 6, marker: 'dup' } }, { eventType: 'invoice.paid', customer: 'cus_9', messageId: 'dup-2' });
    send(queue, { data: { amount: 6, marker: 'dup' } }, { eventType: 'invoice.paid', customer: 'cus_9', messageId: 'dup-2' });
    await waitFor(async () => series((await h.running.infra.metrics.render()).body, 'hookline_command_source_records_total')
      .includes('hookline_command_source_records_total{source="billing",outcome="published",service="command-service"} 8'), 30_000, 'all four taken');
    await h.followerCaughtUp();
    expect((await payloads('dup')).map((d) => (d.payload as Json).amount).sort()).toEqual([5, 6]);
    expect((await published()).length).toBe(before + 2);
    expect((await amqp.channel.checkQueue(queue)).messageCount).toBe(0);
    expect(await amqp.drain(deadQueue)).toEqual([]);
  });

  it('holds a key\'s later messages behind a slow one, and does not hold other keys back', async () => {
    const source = await ownSource('slow');
    const slow: Publisher = {
      execute: async (...args) => {
        if ((args[2].payload as Json).amount === 1) await new Promise((r) => setTimeout(r, 700));
        return realPublisher().execute(...args);
      },
    };
    const sources = await startOwn(source, slow);
    try {
      send(source.queue, { data: { amount: 1, marker: 'slow' } }, { eventType: 'invoice.paid', customer: 'cus_s' });
      send(source.queue, { data: { amount: 2, marker: 'slow' } }, { eventType: 'invoice.paid', customer: 'cus_s' });
      send(source.queue, { data: { amount: 3, marker: 'slow' } }, { eventType: 'invoice.paid', customer: 'cus_t' });
      await waitFor(async () => (await payloads('slow')).length === 3, 30_000, 'the three published');
    } finally {
      await sources.stop();
    }
    // On the log: the other key's message first, then the slow key's, in the queue's order.
    expect((await payloads('slow')).map((d) => (d.payload as Json).amount)).toEqual([3, 1, 2]);
  });

  it('keeps a message while Kafka or Postgres is unavailable: back on the queue at a stop, published once after the restart', async () => {
    const source = await ownSource('flaky');
    let calls = 0;
    let failFirst = Infinity;
    const flaky: Publisher = {
      execute: async (...args) => {
        calls += 1;
        if (calls <= failFirst) throw new ProblemError('unavailable', 'Kafka is unavailable');
        return realPublisher().execute(...args);
      },
    };
    let sources = await startOwn(source, flaky);
    send(source.queue, { data: { amount: 7, marker: 'flaky' } }, { eventType: 'invoice.paid', customer: 'cus_f', messageId: 'flaky-1' });
    await waitFor(() => calls >= 3, 10_000, 'the publish tried again');
    // Held, unacknowledged, by the source while it retries; nothing published, nothing dead-lettered.
    expect(await amqp.channel.checkQueue(source.queue)).toMatchObject({ messageCount: 0, consumerCount: 1 });
    expect(await payloads('flaky')).toEqual([]);

    await sources.stop();
    await waitFor(async () => (await amqp.channel.checkQueue(source.queue)).messageCount === 1, 10_000, 'the message back on the queue');
    expect(await amqp.channel.checkQueue(source.queue)).toMatchObject({ messageCount: 1, consumerCount: 0 });
    expect(await payloads('flaky')).toEqual([]);
    expect(logLines.some((l) => l.includes('could not publish a message yet'))).toBe(true);

    // Restarted: still failing twice, then the outage ends.
    failFirst = calls + 2;
    sources = await startOwn(source, flaky);
    try {
      await waitFor(async () => (await payloads('flaky')).length > 0, 30_000, 'the message published after the outage');
      await waitFor(async () => (await amqp.channel.checkQueue(source.queue)).messageCount === 0, 10_000, 'the queue emptied');
    } finally {
      await sources.stop();
    }
    expect(calls).toBeGreaterThan(failFirst);
    expect(await payloads('flaky')).toHaveLength(1);
    expect((await amqp.channel.checkQueue(source.queue)).messageCount).toBe(0); // acknowledged, not put back at the stop
    expect(await amqp.drain(deadQueue)).toEqual([]);
  });

  it('reconnects when the connection is lost between the publish and the ack, and publishes the redelivered messages once, in order', async () => {
    const forwarder = await startForwarder(new URL(testAmqpUrl()));
    const broker = new URL(amqp.url);
    broker.hostname = '127.0.0.1';
    broker.port = String(forwarder.port);
    const source = await ownSource('cut', broker.toString());
    let calls = 0;
    const cutting: Publisher = {
      execute: async (...args) => {
        calls += 1;
        const answer = await realPublisher().execute(...args);
        // Kafka has the message; the connection goes before its ack, as in a crash or a broker restart.
        if (calls === 1) forwarder.cut();
        return answer;
      },
    };
    const sources = await startOwn(source, cutting);
    try {
      send(source.queue, { data: { amount: 1, marker: 'cut' } }, { eventType: 'invoice.paid', customer: 'cus_c', messageId: 'cut-1' });
      send(source.queue, { data: { amount: 2, marker: 'cut' } }, { eventType: 'invoice.paid', customer: 'cus_c', messageId: 'cut-2' });
      await waitFor(async () => (await payloads('cut')).length >= 2, 30_000, 'both messages published');
      await waitFor(async () => (await amqp.channel.checkQueue(source.queue)).messageCount === 0 && calls >= 3, 10_000, 'the queue emptied');
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await sources.stop();
      await forwarder.close();
    }
    expect((await payloads('cut')).map((d) => (d.payload as Json).amount)).toEqual([1, 2]);
    expect(await amqp.channel.checkQueue(source.queue)).toMatchObject({ messageCount: 0 });
    expect(logLines.some((l) => l.includes('AMQP source reconnected'))).toBe(true);
    // The broker's password never reaches a log line, not even through an error quoting the URL.
    expect(logLines.filter((l) => l.includes('"source":"cut"')).length).toBeGreaterThan(0);
    const password = new URL(amqp.url).password;
    if (password) expect(logLines.filter((l) => l.includes(`:${password}@`))).toEqual([]);
  });

  it('stops in bounded time while the network to the broker is silently gone, and publishes nothing twice', async () => {
    const forwarder = await startForwarder(new URL(testAmqpUrl()));
    const broker = new URL(amqp.url);
    broker.hostname = '127.0.0.1';
    broker.port = String(forwarder.port);
    const source = await ownSource('partition', broker.toString());
    // Checked every 20 ms, the queue's depth is asked for on the frozen connection too, and never answered.
    const sources = await startOwn(source, realPublisher(), 20);
    send(source.queue, { data: { amount: 1, marker: 'partition' } }, { eventType: 'invoice.paid', customer: 'cus_p', messageId: 'partition-1' });
    await waitFor(async () => (await payloads('partition')).length === 1, 30_000, 'the message published');
    // A partition, not a reset: nothing passes and nothing is closed, so amqplib is never told (until heartbeats fail).
    forwarder.freeze();
    await new Promise((r) => setTimeout(r, 300));
    const stopping = Date.now();
    const stopped = await Promise.race([sources.stop().then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
    // Each request left unanswered is given up after requestTimeoutMs (1 s here): the depth check, the cancel, the close.
    expect({ stopped, within5s: Date.now() - stopping < 5000 }).toEqual({ stopped: true, within5s: true });
    await forwarder.close();
    expect(await payloads('partition')).toHaveLength(1);
    expect(await amqp.drain(deadQueue)).toEqual([]);
  });

  it('refuses to start a source whose queue does not exist, naming it without the password', async () => {
    await h.stopService();
    const sources = JSON.parse(h.env.AMQP_SOURCES) as Json[];
    h.env.AMQP_SOURCES = JSON.stringify([{ ...sources[0], queue: amqp.name('missing') }]);
    const refusal = h.startService();
    await expect(refusal).rejects.toThrow(/AMQP_SOURCES: source billing \(amqp:\/\/guest:\*\*\*@[^)]+\): the queue \S*missing cannot be consumed/);
    h.env.AMQP_SOURCES = JSON.stringify(sources);
    await h.startService();
  });
});

/** A TCP forwarder to the test broker whose connections a test can cut (a broker restart) or freeze (a network partition). */
async function startForwarder(target: URL): Promise<{ port: number; cut(): void; freeze(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const pairs: Array<[net.Socket, net.Socket]> = [];
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    pairs.push([client, upstream]);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => sockets.forEach((s) => s.destroy()),
    // Stops passing bytes either way, closing nothing: what a network partition looks like to both ends.
    freeze: () => pairs.forEach(([client, upstream]) => {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }),
    close: () => new Promise((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    }),
  };
}
