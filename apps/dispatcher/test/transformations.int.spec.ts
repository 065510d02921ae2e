import { startReceiver, TestReceiver, waitFor } from '@hookline/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

/**
 * Endpoint transformations (JSONata): the dispatcher sends, and signs, the body the endpoint's expression makes of the
 * standard one. An expression that fails, loops or runs past its deadline fails that endpoint's attempt (class
 * `transformation`) and is retried on the schedule, so a corrected expression delivers on the next retry; nothing is
 * sent meanwhile, and other endpoints are not held up.
 */
describe('endpoint transformations (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('transform');
  const receivers: TestReceiver[] = [];
  // Each test's own receivers: the endpoints of earlier tests (subscribed to everything) keep getting later messages.
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    await h.setUp();
    await h.startDispatcher({ RETRY_SCHEDULE_SECONDS: '0,1,1,1', RETRY_JITTER: '0', TRANSFORMATION_TIMEOUT_MS: '500' });
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('sends the body the expression makes, signed over what is sent; an endpoint without one gets the standard body', async () => {
    const [chat, plain] = await Promise.all([receiver(), receiver()]);
    const slack = await h.createEndpoint(chat.url, {
      transformation: '{ "text": "Invoice " & data.id & " paid: " & $formatNumber(data.amount / 100, "#,##0.00") & " " & data.currency, '
        + '"message": $message_id, "attempt": $attempt, "channels": $channels }',
    });
    const standard = await h.createEndpoint(plain.url);

    const messageId = await h.publish('invoice.paid', { id: 'inv_7', amount: 123456, currency: 'EUR' }, ['eu']);
    const [sent] = await chat.waitForRequests(1);
    expect(JSON.parse(sent.body)).toEqual({ text: 'Invoice inv_7 paid: 1,234.56 EUR', message: messageId, attempt: 1, channels: ['eu'] });
    expect(sent.headers['webhook-id']).toBe(messageId);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(new StandardWebhook(slack.secret).verify(sent.body, sent.headers)).toEqual(JSON.parse(sent.body));
    expect(new SvixWebhook(slack.secret).verify(sent.body, sent.headers)).toMatchObject({ text: 'Invoice inv_7 paid: 1,234.56 EUR' });

    const [other] = await plain.waitForRequests(1);
    expect(JSON.parse(other.body)).toMatchObject({ type: 'invoice.paid', data: { id: 'inv_7', amount: 123456 } });
    expect(new StandardWebhook(standard.secret).verify(other.body, other.headers)).toMatchObject({ data: { id: 'inv_7' } });

    // The attempt log keeps what a transformation made (it does not follow from the message), and only that.
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', slack.endpointId)[0]);
    expect(attempt.data).toMatchObject({ message_id: messageId, succeeded: true, error: null, response: { status: 200 },
      request_body: sent.body, request_body_truncated: false });
    const plainAttempt = await waitFor(() => h.events('delivery.attempted.v1', standard.endpointId)[0]);
    expect(plainAttempt.data).not.toHaveProperty('request_body');
  });

  it('fails the attempt of an expression that errs, sends nothing, and delivers once a corrected expression is in place', async () => {
    const chat = await receiver();
    const ep = await h.createEndpoint(chat.url, { transformation: '$error("amount missing: " & $string(data.total))' });
    const messageId = await h.publish('invoice.paid', { id: 'inv_8', amount: 500 });

    const failedAttempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(failedAttempt.data).toMatchObject({
      message_id: messageId, succeeded: false, status: 'retrying', response: null, request_headers: {},
      error: { class: 'transformation', message: expect.stringContaining('transformation failed: amount missing') },
    });
    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: ep.endpointId, transformation: '{ "invoice": data.id, "cents": data.amount }' } });

    const [sent] = await chat.waitForRequests(1);
    expect(JSON.parse(sent.body)).toEqual({ invoice: 'inv_8', cents: 500 });
    expect(new StandardWebhook(ep.secret).verify(sent.body, sent.headers)).toEqual({ invoice: 'inv_8', cents: 500 });
    expect(sent.headers['webhook-attempt']).not.toBe('1');
    // Null removes it: the standard body again.
    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: ep.endpointId, transformation: null } });
    // (A message appended after a config event is fanned out with it applied: the dispatcher's config view waits for that.)
    await h.publish('invoice.paid', { id: 'inv_9', amount: 1 });
    const [, standard] = await chat.waitForRequests(2);
    expect(JSON.parse(standard.body)).toMatchObject({ type: 'invoice.paid', data: { id: 'inv_9' } });
  });

  it('stops an expression that runs past TRANSFORMATION_TIMEOUT_MS; the other endpoints are served meanwhile', async () => {
    const [chat, plain] = await Promise.all([receiver(), receiver()]);
    await h.createEndpoint(plain.url);
    const endless = await h.createEndpoint(chat.url, { transformation: '( $loop := function($n) { $n < 0 ? $n : $loop($n + 1) }; $loop(0) )' });
    await h.publish('invoice.paid', { id: 'inv_10', amount: 2 });
    const [served] = await plain.waitForRequests(1);

    const attempts = await waitFor(() => (h.events('delivery.attempted.v1', endless.endpointId).length >= 2 ? h.events('delivery.attempted.v1', endless.endpointId) : null));
    for (const a of attempts.slice(0, 2)) {
      expect(a.data).toMatchObject({ succeeded: false, error: { class: 'transformation', message: 'transformation failed: it ran longer than 500 ms' } });
      expect(a.data.latency_ms).toBeGreaterThanOrEqual(500);
    }
    expect(chat.requests).toHaveLength(0);
    // The plain endpoint's webhook did not wait for the stuck expression: it arrived while that first attempt still ran.
    expect(served.receivedAt).toBeLessThan(Date.parse(attempts[0].data.started_at) + 500);
  });
});
