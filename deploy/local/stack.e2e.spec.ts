import { createHmac, randomBytes } from 'node:crypto';
import { createTestDatabase, startReceiver, testBrokers, testTopicPrefix, waitFor, ReceivedRequest, TestDatabase, TestReceiver } from '@hookline/testing';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { EVENT_SCHEMA_PATH, topicNames } from '@hookline/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { SERVICES, ServiceProcess, deleteStackTopics, stackEnv, stackPorts, startService, startStackServices, waitReady } from './support/e2e-stack';

// The three services as separate processes, driven only through their public APIs: what a user of `npm start` does.
const ADMIN_KEY = `hk_e2e_admin_${randomBytes(12).toString('hex')}`;
const ports = stackPorts(21000);

describe('the whole stack (three service processes, REST only)', () => {
  let db: TestDatabase;
  let children: ServiceProcess[] = [];
  const receivers: TestReceiver[] = [];
  const prefix = testTopicPrefix('stack');
  let operatorTenant: string;

  beforeAll(async () => {
    db = await createTestDatabase('stack');
    const env = stackEnv(db, prefix, ADMIN_KEY, ports);
    // The command service alone first: it creates the topics, and the operator's tenant is made through its API.
    const [command] = SERVICES;
    const first = startService(command, env.of(command.name));
    await waitReady(first, ports.command);
    // The operator's tenant for the operational webhooks: created through the API, then named to the command service.
    operatorTenant = (await api('POST', '/v1/tenants', { name: 'Operator' })).json.id as string;
    await first.stop();
    await startStackServices(env, children, { OPERATIONAL_WEBHOOKS_TENANT_ID: operatorTenant });
    for (let i = 0; i < 3; i++) receivers.push(await startReceiver());
  }, 180_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    children = [];
    await Promise.all(receivers.map((r) => r.close()));
    await db?.drop();
    await deleteStackTopics(prefix);
  }, 60_000);

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const base = path.startsWith('q:') ? `http://127.0.0.1:${ports.query}` : `http://127.0.0.1:${ports.command}`;
    const res = await fetch(`${base}${path.replace(/^q:/, '')}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('delivers a published message, signed, to the two subscribed endpoints and not to the filtered one, and the read model shows it', async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'invoice.paid' })).status).toBe(201);
    const endpoints = [];
    for (const [i, r] of receivers.entries()) {
      const filter = i === 2 ? { amount: { $gt: 1000 } } : undefined;
      const created = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${r.url}/hook`, event_types: ['invoice.paid'], filter });
      expect(created.status).toBe(201);
      endpoints.push(created.json as { id: string; secret: string });
    }

    const published = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_1', amount: 50 } });
    expect(published.status).toBe(202);
    const messageId = published.json.id as string;

    for (const [i, r] of receivers.slice(0, 2).entries()) {
      const [req] = await r.waitForRequests(1, 30_000);
      expect(req.headers['webhook-id']).toBe(messageId);
      expect(new StandardWebhook(endpoints[i].secret).verify(req.body, req.headers)).toMatchObject({ type: 'invoice.paid', data: { amount: 50 } });
      expect(new SvixWebhook(endpoints[i].secret).verify(req.body, req.headers)).toMatchObject({ data: { invoice_id: 'in_1' } });
    }

    // Read-your-writes: the query waits until the position the publish returned is projected.
    const view = await waitFor(async () => {
      const r = await api('GET', `q:/v1/tenants/${tenant}/messages/${messageId}?position=${published.json.position as string}`);
      const deliveries = (r.json.deliveries ?? []) as Array<{ endpoint_id: string; status: string }>;
      return deliveries.filter((d) => d.status === 'succeeded').length === 2 ? r.json : null;
    }, 30_000, 'both deliveries to show succeeded in the read model');
    expect((view.deliveries as Array<{ endpoint_id: string }>).map((d) => d.endpoint_id).sort()).toEqual([endpoints[0].id, endpoints[1].id].sort());
    expect(receivers[2].requests).toHaveLength(0);
  }, 90_000);

  it('holds back a type made to need approval from an endpoint of every type until it is approved for it, and the endpoint shows it awaiting', async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E approval' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'invoice.paid' })).status).toBe(201);
    const r = await startReceiver();
    receivers.push(r);
    const endpoint = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${r.url}/hook` });
    expect(endpoint.json).toMatchObject({ status: 'enabled' });
    const endpointId = endpoint.json.id as string;
    // A type that needs approval, created after the endpoint: it must not reach the endpoint unapproved.
    const gated = await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'payout.sent', requires_approval: true });
    expect(gated.status).toBe(201);
    const shown = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpointId}?position=${gated.json.position as string}`);
    expect(shown.json).toMatchObject({ status: 'enabled', event_types: null, event_types_awaiting_approval: ['payout.sent'] });
    expect((await api('POST', `/v1/tenants/${tenant}/endpoints/${endpointId}/test`, { event_type: 'payout.sent' })).status).toBe(409);

    const held = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'payout.sent', payload: { payout: 1 } });
    const passed = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice: 1 } });
    const [first] = await r.waitForRequests(1, 30_000);
    expect(first.headers['webhook-id']).toBe(passed.json.id);
    const heldView = await api('GET', `q:/v1/tenants/${tenant}/messages/${held.json.id as string}?position=${passed.json.position as string}`);
    expect(heldView.json.deliveries).toEqual([]);

    const approved = await api('POST', `/v1/tenants/${tenant}/endpoints/${endpointId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'enabled' });
    expect((await api('POST', `/v1/tenants/${tenant}/endpoints/${endpointId}/approve`)).status).toBe(409);
    const after = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'payout.sent', payload: { payout: 2 } });
    const [, second] = await r.waitForRequests(2, 30_000);
    expect(second.headers['webhook-id']).toBe(after.json.id);
    expect(r.requests).toHaveLength(2);
    const now = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpointId}?position=${after.json.position as string}`);
    expect(now.json).toMatchObject({ status: 'enabled', event_types_awaiting_approval: [] });

    // Another type made to need approval, declined: no longer awaited (approve has nothing left to do), never delivered.
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'kyc.passed', requires_approval: true })).status).toBe(201);
    const declined = await api('POST', `/v1/tenants/${tenant}/endpoints/${endpointId}/decline-event-types`, { event_types: ['kyc.passed'], reason: 'e2e' });
    expect(declined.status).toBe(200);
    expect((await api('POST', `/v1/tenants/${tenant}/endpoints/${endpointId}/approve`)).status).toBe(409);
    const refused = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'kyc.passed', payload: { kyc: 1 } });
    const marker = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice: 2 } });
    const [, , third] = await r.waitForRequests(3, 30_000);
    expect(third.headers['webhook-id']).toBe(marker.json.id);
    const refusedView = await api('GET', `q:/v1/tenants/${tenant}/messages/${refused.json.id as string}?position=${marker.json.position as string}`);
    expect(refusedView.json.deliveries).toEqual([]);
    const shownDeclined = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpointId}?position=${declined.json.position as string}`);
    expect(shownDeclined.json).toMatchObject({ status: 'enabled', event_types_awaiting_approval: [], declined_event_types: ['kyc.passed'] });
    expect(r.requests).toHaveLength(3);
  }, 90_000);

  it('replays a message to an endpoint created after it was published: it arrives signed, with the message\'s webhook-id', async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E replay' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'order.shipped' })).status).toBe(201);
    const since = new Date().toISOString();
    const published = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'order.shipped', payload: { order: 7 } });
    expect(published.status).toBe(202);
    const late = await startReceiver();
    receivers.push(late);
    const endpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${late.url}/hook`, event_types: ['order.shipped'] })).json as { id: string; secret: string };

    // The command service indexes the message from the log shortly after the publish.
    const replayed = await waitFor(async () => {
      const r = await api('POST', `/v1/tenants/${tenant}/endpoints/${endpoint.id}/replay`, { since, until: new Date().toISOString() });
      expect(r.status).toBe(202);
      return r.json.replayed === 1 ? r.json : null;
    }, 15_000, 'the message to be replayed');
    expect(replayed).toMatchObject({ scanned: 1, next_since: null });
    const [req] = await late.waitForRequests(1, 30_000);
    expect(req.headers['webhook-id']).toBe(published.json.id);
    expect(new StandardWebhook(endpoint.secret).verify(req.body, req.headers)).toMatchObject({ type: 'order.shipped', data: { order: 7 } });
  }, 60_000);

  it("expunges a message's content: its retry waiting behind a failing endpoint is dropped, never sent, and the read model shows no payload", async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E expunge' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'customer.updated' })).status).toBe(201);
    const failing = await startReceiver((_req, res) => void res.writeHead(503).end());
    receivers.push(failing);
    const endpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`,
      { url: `${failing.url}/hook`, event_types: ['customer.updated'], retry_schedule_seconds: [3, 3] })).json as { id: string };
    const published = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'customer.updated', payload: { card: '4242 4242 4242 4242' } });
    const messageId = published.json.id as string;
    await failing.waitForRequests(1, 30_000);

    const expunged = await api('DELETE', `/v1/tenants/${tenant}/messages/${messageId}/content`);
    expect(expunged.status).toBe(202);
    const view = await waitFor(async () => {
      const r = await api('GET', `q:/v1/tenants/${tenant}/messages/${messageId}?position=${expunged.json.position as string}`);
      const deliveries = (r.json.deliveries ?? []) as Array<{ status: string }>;
      return r.json.payload_expunged === true && deliveries[0]?.status === 'dropped' ? r.json : null;
    }, 30_000, 'the read model to show the content expunged and the delivery dropped');
    expect(view).toMatchObject({ id: messageId, payload: null, payload_purged: true, deliveries: [expect.objectContaining({ endpoint_id: endpoint.id })] });
    // The retry was due 3 s after the first attempt: it never comes.
    await new Promise((r) => setTimeout(r, 4000));
    expect(failing.requests).toHaveLength(1);
    expect((await api('POST', `/v1/tenants/${tenant}/messages/${messageId}/resend`, { endpoint_id: endpoint.id })).status).toBe(409);
  }, 60_000);

  it('transforms what an endpoint gets: previewed, set, delivered signed as sent, and a failing expression filterable in the attempt log', async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E transform' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'invoice.paid' })).status).toBe(201);
    const slack = '{ "text": "Invoice " & data.invoice_id & " paid: " & $string(data.amount / 100) & " EUR" }';
    const preview = await api('POST', `/v1/tenants/${tenant}/transformations/preview`, { transformation: slack, event_type: 'invoice.paid', payload: { invoice_id: 'in_9', amount: 1250 } });
    expect(preview).toMatchObject({ status: 200, json: { body: { text: 'Invoice in_9 paid: 12.5 EUR' } } });

    const chat = await startReceiver();
    receivers.push(chat);
    const endpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`,
      { url: `${chat.url}/hook`, transformation: '$error("not ready")', retry_schedule_seconds: [2, 2, 2, 2] })).json as { id: string; secret: string };
    const published = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_9', amount: 1250 } });
    // The first attempt fails on the expression; the read model's attempt log tells why, and can be filtered by it.
    const failed = await waitFor(async () => {
      const r = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpoint.id}/attempts?error_class=transformation&position=${published.json.position as string}`);
      return (r.json.data as unknown[]).length ? (r.json.data as Array<Record<string, unknown>>) : null;
    }, 30_000, 'the failed attempt in the read model');
    expect(failed[0]).toMatchObject({ succeeded: false, response: null, error: { class: 'transformation', message: expect.stringContaining('not ready') } });
    expect(chat.requests).toHaveLength(0);

    // Corrected between retries (2 s apart): the next one sends what the expression makes, signed over it.
    const updated = await api('PATCH', `/v1/tenants/${tenant}/endpoints/${endpoint.id}`, { transformation: slack });
    expect(updated.status).toBe(200);
    const [req] = await chat.waitForRequests(1, 30_000);
    expect(req.headers['webhook-id']).toBe(published.json.id);
    expect(new StandardWebhook(endpoint.secret).verify(req.body, req.headers)).toEqual({ text: 'Invoice in_9 paid: 12.5 EUR' });
    const shown = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpoint.id}?position=${updated.json.position as string}`);
    expect(shown.json.transformation).toBe(slack);
    // The attempt log keeps the body the transformation made.
    const sent = await waitFor(async () => {
      const r = await api('GET', `q:/v1/tenants/${tenant}/endpoints/${endpoint.id}/attempts?outcome=succeeded`);
      return (r.json.data as Array<Record<string, unknown>>)[0] ?? null;
    }, 30_000, 'the successful attempt in the read model');
    expect(sent.request_body).toEqual({ body: req.body, body_truncated: false });
  }, 60_000);

  it("delivers another tenant's endpoint events (created, auto-disabled on 410, disabled) as webhooks to the operator's endpoint", async () => {
    const ops = await startReceiver();
    receivers.push(ops);
    const opsEndpoint = (await api('POST', `/v1/tenants/${operatorTenant}/endpoints`, { url: `${ops.url}/ops` })).json as { id: string; secret: string };
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E gone' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'user.left' })).status).toBe(201);
    const gone = await startReceiver((_req, res) => void res.writeHead(410).end());
    receivers.push(gone);
    const endpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${gone.url}/hook`, event_types: ['user.left'] })).json as { id: string };
    expect((await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'user.left', payload: { user: 1 } })).status).toBe(202);

    // The endpoint's creation, its auto-disable by the dispatcher, and its disabling by the command service.
    const received = await waitFor(() => {
      const bodies = ops.requests.map((req) => new StandardWebhook(opsEndpoint.secret).verify(req.body, req.headers) as { type: string; data: Record<string, unknown> });
      return bodies.some((b) => b.type === 'endpoint.disabled') ? bodies : null;
    }, 30_000, 'the operational webhooks');
    expect(received.find((b) => b.type === 'endpoint.auto_disabled')).toMatchObject({
      data: { type: 'endpoint.auto_disabled.v1', tenant_id: tenant, data: { endpoint_id: endpoint.id, reason: 'gone' } },
    });
    expect(received.find((b) => b.type === 'endpoint.created')).toMatchObject({ data: { tenant_id: tenant, data: { endpoint_id: endpoint.id } } });
    expect(received.find((b) => b.type === 'endpoint.disabled')).toMatchObject({ data: { data: { endpoint_id: endpoint.id, reason: 'gone' } } });
  }, 60_000);

  it('without an OTLP collector, carries the publisher\'s trace id to the webhook, the attempt event and the read model', async () => {
    // Nothing is exported here, so the dispatcher runs without ambient context: every hop must pass the trace on explicitly.
    const traceId = randomBytes(16).toString('hex');
    const traced = await startReceiver();
    try {
      const tenant = (await api('POST', '/v1/tenants', { name: 'E2E traced' })).json.id as string;
      await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'invoice.paid' });
      const endpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${traced.url}/hook`, event_types: ['invoice.paid'] })).json.id as string;
      const res = await fetch(`http://127.0.0.1:${ports.command}/v1/tenants/${tenant}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        },
        body: JSON.stringify({ event_type: 'invoice.paid', payload: { invoice_id: 'in_traced' } }),
      });
      expect(res.status).toBe(202);
      const messageId = ((await res.json()) as { id: string }).id;

      const [webhook] = await traced.waitForRequests(1, 30_000);
      // A span of its own (unsampled: nothing records it) in the publisher's trace.
      expect(webhook.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));

      const attempts = await waitFor(async () => {
        const r = await api('GET', `q:/v1/tenants/${tenant}/messages/${messageId}/attempts`);
        const data = (r.json.data ?? []) as Array<{ endpoint_id: string; trace_id: string | null }>;
        return data.length > 0 ? data : null;
      }, 30_000, 'the attempt in the read model');
      expect(attempts).toEqual([expect.objectContaining({ endpoint_id: endpoint, trace_id: traceId })]);

      // Downstream consumers of the deliveries topic can continue the trace from the attempt event's headers.
      const kafka = new Kafka({ clientId: 'stack-e2e-trace', brokers: testBrokers(), logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: `${prefix}trace-check` });
      await consumer.connect();
      await consumer.subscribe({ topics: [topicNames(prefix).deliveries], fromBeginning: true });
      let traceparent: string | null = null;
      await consumer.run({
        eachMessage: async ({ message }) => {
          const event = JSON.parse(message.value!.toString('utf8'));
          if (event.type === 'delivery.attempted.v1' && event.data.message_id === messageId) traceparent = String(message.headers?.['traceparent']);
        },
      });
      await waitFor(() => traceparent, 30_000, 'the attempt event on the deliveries topic');
      await consumer.disconnect();
      expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    } finally {
      await traced.close();
    }
  }, 90_000);

  it("takes providers' signed webhooks at HTTP sources (GitHub, Stripe) and delivers each once, signed, to the endpoint of its type; a forged one is refused", async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'E2E sources' })).json.id as string;
    const pushSchema = { type: 'object', required: ['ref', 'commits'], properties: { ref: { type: 'string' }, commits: { type: 'array' } } };
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'push', schema: pushSchema })).status).toBe(201);
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'order.created' })).status).toBe(201);
    const [pushes, orders] = [await startReceiver(), await startReceiver()];
    receivers.push(pushes, orders);
    const pushEndpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${pushes.url}/hook`, event_types: ['push'] })).json as { id: string; secret: string };
    const orderEndpoint = (await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${orders.url}/hook`, event_types: ['order.created'] })).json as { id: string; secret: string };

    const githubSecret = randomBytes(16).toString('hex');
    const stripeSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const github = await api('POST', `/v1/tenants/${tenant}/sources`, {
      name: 'GitHub', verification: { type: 'github', secret: githubSecret },
      event_type: { from: 'header', header: 'x-github-event' }, idempotency: { from: 'header', header: 'x-github-delivery' },
    });
    const stripe = await api('POST', `/v1/tenants/${tenant}/sources`, {
      name: 'Stripe', verification: { type: 'stripe', secret: stripeSecret },
      event_type: { from: 'field', path: 'type' }, payload_field: 'data.object', idempotency: { from: 'field', path: 'id' },
    });
    expect([github.status, stripe.status]).toEqual([201, 201]);
    const [githubUrl, stripeUrl] = [github.json.ingest_url as string, stripe.json.ingest_url as string];
    expect(githubUrl).toBe(`http://127.0.0.1:${ports.command}/ingest/${github.json.id as string}`);

    // What the providers send to the ingest_url they were given: no API key, signed over the body's bytes as sent.
    const ingest = async (url: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: res.status, json: (await res.json()) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') };
    };
    const hmacHex = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest('hex');
    const githubPush = (body: string, delivery: string, secret = githubSecret) =>
      ({ 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${hmacHex(secret, body)}` });
    const stripeSigned = (body: string, secret = stripeSecret) => {
      const t = Math.floor(Date.now() / 1000);
      return { 'stripe-signature': `t=${t},v1=${hmacHex(secret, `${t}.${body}`)}` };
    };
    // What an endpoint got, once its receiver has checked Hookline's signature (throws if it does not verify).
    const signedByHookline = (req: ReceivedRequest, secret: string) => new StandardWebhook(secret).verify(req.body, req.headers);

    const newDelivery = () => randomBytes(8).toString('hex');
    const delivery = newDelivery();
    const pushBody = '{ "ref": "refs/heads/main",\n  "commits": [ { "id": "6dcb09b", "message": "caf\\u00e9" } ] }';
    const pushed = await ingest(githubUrl, pushBody, githubPush(pushBody, delivery));
    expect(pushed).toMatchObject({ status: 202, json: { message_id: expect.stringMatching(/^msg_/) }, replayed: null });
    const pushId = pushed.json.message_id as string;
    const [pushReq] = await pushes.waitForRequests(1, 30_000);
    expect(pushReq.headers['webhook-id']).toBe(pushId);
    expect(signedByHookline(pushReq, pushEndpoint.secret)).toEqual({ type: 'push', timestamp: expect.any(String), data: JSON.parse(pushBody) });

    // GitHub's redelivery of the same delivery: answered with the first message, published again never.
    const redelivered = await ingest(githubUrl, pushBody, githubPush(pushBody, delivery));
    expect(redelivered).toMatchObject({ status: 202, json: { message_id: pushId }, replayed: 'true' });

    const orderBody = JSON.stringify({ id: `evt_${delivery}`, object: 'event', type: 'order.created', data: { object: { id: 'ord_1', amount: 4200, currency: 'eur' } } });
    const ordered = await ingest(stripeUrl, orderBody, stripeSigned(orderBody));
    expect(ordered.status).toBe(202);
    const [orderReq] = await orders.waitForRequests(1, 30_000);
    expect(orderReq.headers['webhook-id']).toBe(ordered.json.message_id);
    expect(signedByHookline(orderReq, orderEndpoint.secret)).toEqual({ type: 'order.created', timestamp: expect.any(String), data: { id: 'ord_1', amount: 4200, currency: 'eur' } });

    // Forged, each as a new delivery (a retry's id would only be answered as one): a body changed under GitHub's
    // signature, bodies signed with another secret; and a genuine push its event type's schema refuses.
    const tampered = pushBody.replace('refs/heads/main', 'refs/heads/evil');
    const forgedOrder = orderBody.replace(`evt_${delivery}`, `evt_${newDelivery()}`);
    expect((await ingest(githubUrl, tampered, githubPush(pushBody, newDelivery()))).status).toBe(401);
    expect((await ingest(githubUrl, tampered, githubPush(tampered, newDelivery(), 'not-the-secret'))).status).toBe(401);
    expect((await ingest(stripeUrl, forgedOrder, stripeSigned(forgedOrder, 'whsec_forged'))).status).toBe(401);
    const noRef = JSON.stringify({ commits: [] });
    expect((await ingest(githubUrl, noRef, githubPush(noRef, newDelivery()))).status).toBe(400);

    // A message published after all of them, on the tenant's partition: once it is delivered and projected, anything
    // the refused requests or the redelivery had published would be too. (No read shows a message's actor, source:<id>:
    // http-sources.int.spec.ts checks it on the log.)
    const marker = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'push', payload: { ref: 'refs/heads/marker', commits: [] } });
    const [, markerReq] = await pushes.waitForRequests(2, 30_000);
    expect(markerReq.headers['webhook-id']).toBe(marker.json.id);
    const messages = await api('GET', `q:/v1/messages?tenant_id=${tenant}&position=${marker.json.position as string}`);
    expect((messages.json.data as Array<{ id: string }>).map((m) => m.id).sort()).toEqual([pushId, ordered.json.message_id, marker.json.id].sort());
    const pushView = await waitFor(async () => {
      const r = await api('GET', `q:/v1/tenants/${tenant}/messages/${pushId}`);
      return (r.json.deliveries as Array<{ status: string }> | undefined)?.[0]?.status === 'succeeded' ? r.json : null;
    }, 30_000, "the source's message delivered in the read model");
    expect(pushView).toMatchObject({ event_type: 'push', payload: JSON.parse(pushBody), deliveries: [{ endpoint_id: pushEndpoint.id, status: 'succeeded' }] });
    expect(pushes.requests).toHaveLength(2);
    expect(orders.requests).toHaveLength(1);

    // The sources as the query service shows them: the command service's answer, without a trace of either secret.
    const sources = await api('GET', `q:/v1/sources?tenant_id=${tenant}&position=${stripe.json.position as string}`);
    expect(sources.status).toBe(200);
    const shown = (sources.json.data as Array<Record<string, unknown>>).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(shown).toEqual([github, stripe].map(({ json: { id, ingest_url, verification, event_type, idempotency, payload_field } }) =>
      expect.objectContaining({ id, ingest_url, verification, event_type, idempotency, payload_field })));
    expect(shown[0].verification).toEqual({ type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' });
    for (const secret of [githubSecret, stripeSecret, 'enc:v1:']) expect(JSON.stringify(sources.json)).not.toContain(secret);

    // Why the forged and refused requests never became messages, as the tenant reads it: each refusal went through the
    // operational topic to the query service, newest first, with what the provider sent and got.
    type Refused = { status: number; outcome: string; reason: string; body_excerpt: string; headers: Record<string, string>; not_recorded: number };
    const refusedOf = async (source: string) => (await api('GET', `q:/v1/tenants/${tenant}/sources/${source}/refused-requests`)).json.data as Refused[];
    const githubRefused = await waitFor(async () => { const r = await refusedOf(github.json.id as string); return r.length === 3 ? r : null; },
      30_000, "GitHub source's three refusals in the read model");
    expect(githubRefused.map(({ status, outcome, reason }) => ({ status, outcome, reason }))).toEqual([
      { status: 400, outcome: 'rejected', reason: 'validation' },
      { status: 401, outcome: 'unauthenticated', reason: expect.any(String) },
      { status: 401, outcome: 'unauthenticated', reason: expect.any(String) },
    ]);
    expect(githubRefused[1]).toMatchObject({ body_excerpt: tampered, not_recorded: 0, headers: { 'x-github-event': 'push', 'x-hub-signature-256': githubPush(tampered, '', 'not-the-secret')['x-hub-signature-256'] } });
    expect(githubRefused[2].headers['x-hub-signature-256']).toBe(githubPush(pushBody, '')['x-hub-signature-256']);
    const stripeRefused = await waitFor(async () => { const r = await refusedOf(stripe.json.id as string); return r.length === 1 ? r : null; }, 30_000, "Stripe's refusal");
    expect(stripeRefused[0]).toMatchObject({ status: 401, outcome: 'unauthenticated', body_excerpt: forgedOrder });
  }, 60_000);

  it('puts only events that match the published JSON Schemas on the topics (the public contract holds)', async () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(EVENT_SCHEMA_PATH, 'utf8')));
    const kafka = new Kafka({ clientId: 'stack-e2e-contract', brokers: testBrokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${prefix}contract-check` });
    await consumer.connect();
    await consumer.subscribe({ topics: Object.values(topicNames(prefix)), fromBeginning: true });
    const seen: Array<{ type: string; errors: unknown }> = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString('utf8'));
        seen.push({ type: event.type, errors: validate(event) ? null : validate.errors });
      },
    });
    const types = await waitFor(() => {
      const t = new Set(seen.map((s) => s.type));
      return ['tenant.created.v1', 'endpoint.created.v1', 'message.published.v1', 'delivery.attempted.v1'].every((x) => t.has(x)) ? t : null;
    }, 30_000, 'the events of the first test');
    await consumer.disconnect();
    expect(types.size).toBeGreaterThanOrEqual(5);
    expect(seen.filter((s) => s.errors !== null)).toEqual([]);
  }, 60_000);
});
