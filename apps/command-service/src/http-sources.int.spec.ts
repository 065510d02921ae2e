import { status as GrpcStatus } from '@grpc/grpc-js';
import { createHmac } from 'node:crypto';
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { waitFor } from '@hookline/testing';
import { CommandServiceHarness, Json, RestAnswer, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

const GITHUB_SECRET = 'gh-webhook-s3cret';
const STRIPE_SECRET = 'whsec_stripe_test_s3cret';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
// MAX_PAYLOAD_BYTES (4096 here) and the 64 KiB /ingest allows around a payload.
const INGEST_LIMIT_BYTES = 4096 + 64 * 1024;

/**
 * HTTP sources: a provider's webhook POSTed to /ingest/{source_id} is verified against the source's secret and
 * published as a message of the source's tenant, through POST /messages' rules, answered once Kafka has it.
 */
describe('HTTP sources: receiving webhooks from providers (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  let github: Json;

  beforeAll(async () => {
    // The W3C propagator, as startTracing registers it in a service process (this one runs in the test's process).
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // A small payload limit, so an oversize body is cheap to send.
    h = await startCommandServiceHarness('http-sources', { MAX_PAYLOAD_BYTES: '4096', LOG_LEVEL: 'error' });
    ({ tenantId, key } = await h.tenantWithKey('sources', ['push', 'invoice.paid', 'ping', 'app_mention']));
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, {
      key,
      body: {
        name: 'GitHub', verification: { type: 'github', secret: GITHUB_SECRET }, event_type: { from: 'header', header: 'X-GitHub-Event' },
        idempotency: { from: 'header', header: 'x-github-delivery' }, channels: ['github'],
      },
    });
    expect(created.status).toBe(201);
    github = created.body;
  });
  afterAll(async () => {
    await h?.close();
    propagation.disable();
  });

  const ingest = (sourceId: string, body: string | Buffer, headers: Record<string, string>, query = '') =>
    h.rest('POST', `/ingest/${sourceId}${query}`, { key: null, raw: body, headers: { 'content-type': 'application/json', ...headers } });
  const githubHeaders = (body: string, delivery: string, secret = GITHUB_SECRET) => ({
    'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  });
  const published = async () => (await h.events('messages')).filter((r) => r.event.type === 'message.published.v1' && r.event.tenant_id === tenantId);
  /** What the source's refusal log recorded, oldest first. */
  const refusedOf = async (sourceId: string): Promise<Json[]> => (await h.events('operational'))
    .filter((r) => r.event.type === 'source.request_refused.v1' && (r.event.data as Json).source_id === sourceId)
    .map((r) => ({ key: r.key, ...(r.event.data as Json) }));
  const expectProblem = (answer: RestAnswer, status: number) => {
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({ status, contentType: expect.stringMatching(/^application\/problem\+json/) });
  };

  it('creates a source over REST: its ingest URL, its settings normalised, its secret sealed and never shown', async () => {
    expect(github).toMatchObject({
      id: expect.stringMatching(/^src_/), name: 'GitHub', enabled: true, ingest_url: `${h.baseUrl}/ingest/${github.id}`, version: 1, position: expect.any(String),
      verification: { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
      event_type: { from: 'header', header: 'x-github-event' },
    });
    expect(JSON.stringify(github)).not.toContain(GITHUB_SECRET);
    const [event] = (await h.events('config')).filter((r) => r.event.type === 'source.created.v1' && r.event.aggregate_id === github.id);
    expect(event.event.tenant_id).toBe(tenantId);
    expect((event.event.data as Json).verification.secret_sealed).toMatch(/^enc:v1:/);
    expect(event.raw).not.toContain(GITHUB_SECRET);
  });

  it('publishes a correctly signed webhook as a message of the source\'s tenant, answering 202 once Kafka has it', async () => {
    // As a provider sends it, spacing and escapes included: the signature is over these bytes, not a re-serialised body.
    const body = '{ "ref" : "refs/heads/main",\n  "commits": [ { "id": "abc" } ], "note": "caf\\u00e9" }';
    const answer = await ingest(github.id, body, { ...githubHeaders(body, 'delivery-1'), traceparent: TRACEPARENT });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ message_id: expect.stringMatching(/^msg_/) });
    const [message] = (await published()).filter((r) => (r.event.data as Json).message_id === answer.body.message_id);
    expect(message.event.data).toMatchObject({ event_type: 'push', payload: JSON.parse(body), channels: ['github'], idempotency_key: `${github.id}:delivery-1` });
    expect(message.event.actor).toEqual({ kind: 'api_key', id: `source:${github.id}` });
    // The provider's trace goes on in the message's.
    expect(message.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
  });

  it('publishes a provider\'s retry of one delivery once, answering it with the same message id', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/retry' });
    const first = await ingest(github.id, body, githubHeaders(body, 'delivery-retried'));
    const again = await ingest(github.id, body, githubHeaders(body, 'delivery-retried'));
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.message_id).toBe(first.body.message_id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await published()).filter((r) => (r.event.data as Json).message_id === first.body.message_id)).toHaveLength(1);
  });

  it('refuses what it must not publish, each with its status, and publishes none of it', async () => {
    const before = (await published()).length;
    const body = JSON.stringify({ ref: 'refs/heads/main' });

    const forged = await ingest(github.id, body, githubHeaders(body, 'delivery-forged', 'not-the-secret'));
    expectProblem(forged, 401);
    expect(forged.body.detail).toBe('signature did not verify');
    expectProblem(await ingest(github.id, body, { 'x-github-event': 'push' }), 401);

    expectProblem(await ingest('src_01J0000000000000000000000Z', body, githubHeaders(body, 'd')), 404);
    expectProblem(await ingest('not-a-source', body, githubHeaders(body, 'd')), 404);

    const { 'x-github-event': _event, ...withoutType } = githubHeaders(body, 'delivery-untyped');
    const untyped = await ingest(github.id, body, withoutType);
    expectProblem(untyped, 422);
    expect(untyped.body.errors).toEqual([{ pointer: 'header:x-github-event', detail: 'no event type here' }]);

    const notJson = 'ref=main';
    expectProblem(await ingest(github.id, notJson, { ...githubHeaders(notJson, 'delivery-form'), 'content-type': 'application/x-www-form-urlencoded' }), 415);
    const broken = '{"ref":';
    expectProblem(await ingest(github.id, broken, githubHeaders(broken, 'delivery-broken')), 400);

    // Beyond MAX_PAYLOAD_BYTES and its margin for what surrounds a payload: refused without reading it, naming the limit.
    const huge = JSON.stringify({ blob: 'x'.repeat(80 * 1024) });
    const tooLarge = await ingest(github.id, huge, githubHeaders(huge, 'delivery-huge'));
    expectProblem(tooLarge, 413);
    expect(tooLarge.body).toMatchObject({ limit_bytes: INGEST_LIMIT_BYTES, detail: `the request body is ${huge.length} bytes; an ingest URL takes at most ${INGEST_LIMIT_BYTES} bytes` });
    // To a source that is not there, the same body is a 404, recorded nowhere.
    expectProblem(await ingest('src_01J0000000000000000000000Z', huge, githubHeaders(huge, 'd')), 404);
    // Within the body limit, but a payload over MAX_PAYLOAD_BYTES: POST /messages' own rule.
    const large = JSON.stringify({ blob: 'x'.repeat(8 * 1024) });
    expectProblem(await ingest(github.id, large, githubHeaders(large, 'delivery-large')), 413);

    expect((await published()).length).toBe(before);

    // Each refusal the source itself made is on the operational topic for the tenant to read (the 404s have no tenant),
    // with what was sent and answered.
    const refused = await waitFor(async () => { const r = await refusedOf(github.id); return r.length >= 7 ? r : null; }, 10_000, 'seven refusals recorded');
    expect(refused.map(({ status, outcome, reason }) => [status, outcome, reason])).toEqual([
      [401, 'unauthenticated', expect.any(String)], [401, 'unauthenticated', expect.any(String)], [422, 'no_event_type', expect.any(String)],
      [415, 'not_json', 'content_type'], [400, 'not_json', 'malformed_json'], [413, 'too_large', 'body_over_limit'], [413, 'rejected', 'payload_too_large'],
    ]);
    expect(refused[0]).toMatchObject({
      key: tenantId, method: 'POST', detail: 'signature did not verify', body_excerpt: body, body_bytes: body.length, body_truncated: false,
      content_type: 'application/json', not_recorded: 0,
      headers: { 'x-github-event': 'push', 'x-github-delivery': 'delivery-forged', 'x-hub-signature-256': githubHeaders(body, '', 'not-the-secret')['x-hub-signature-256'] },
    });
    // The oversize body by its declared size only: none of it was read.
    expect(refused[5]).toMatchObject({ body_bytes: huge.length, body_excerpt: '', body_truncated: true, detail: tooLarge.body.detail });
    expect(refused[6]).toMatchObject({ body_bytes: large.length, body_truncated: true });
    expect(refused[6].body_excerpt.length).toBe(2048);
  });

  describe('a source\'s rate limit', () => {
    const pingHeaders = { 'x-ping-key': 'p1ng' };
    const createLimited = async (rate_limit: Json) => {
      const created = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, {
        key, body: { name: 'Limited', verification: { type: 'api_key', header: 'X-Ping-Key', key: 'p1ng' }, event_type: { from: 'fixed', event_type: 'ping' }, rate_limit },
      });
      expect(created.status).toBe(201);
      return created.body;
    };

    it('takes a burst of verified webhooks, answers the one over it 429 with Retry-After, records it, and takes more once the bucket refilled', async () => {
      const source = await createLimited({ per_second: 2, burst: 2 });
      expect(source.rate_limit).toEqual({ per_second: 2, burst: 2 });
      const [event] = (await h.events('config')).filter((r) => r.event.type === 'source.created.v1' && r.event.aggregate_id === source.id);
      expect((event.event.data as Json).rate_limit).toEqual({ per_second: 2, burst: 2 });
      const before = (await published()).length;

      // Requests that do not verify spend nothing of the provider's budget.
      for (let i = 0; i < 5; i++) expectProblem(await ingest(source.id, '{}', { 'x-ping-key': 'a-guess' }), 401);
      // Three at once: the burst takes two, the third is over it.
      const answers = await Promise.all([1, 2, 3].map((n) => ingest(source.id, JSON.stringify({ n }), pingHeaders)));
      expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 429]);
      const limited = answers.find((a) => a.status === 429)!;
      expectProblem(limited, 429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.body).toMatchObject({ retry_after_seconds: 1, detail: 'this source takes at most 2 webhooks a second (2 at once); retry after 1 s' });
      expect((await published()).length).toBe(before + 2);

      const recorded = await waitFor(async () => (await refusedOf(source.id)).find((r) => r.status === 429), 10_000, 'the 429 recorded');
      expect(recorded).toMatchObject({ key: tenantId, outcome: 'rate_limited', reason: 'over_rate_limit', detail: limited.body.detail, not_recorded: 0 });
      expect((await refusedOf(source.id)).map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429]);

      // As Retry-After said: a second later there is a token again.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await ingest(source.id, '{"n":4}', pingHeaders)).status).toBe(202);
      expect((await published()).length).toBe(before + 3);
    });

    it('is changed and removed by PATCH, its burst being per_second when left out', async () => {
      const source = await createLimited({ per_second: 1 });
      expect(source.rate_limit).toEqual({ per_second: 1, burst: 1 });
      expect((await ingest(source.id, '{}', pingHeaders)).status).toBe(202);
      expectProblem(await ingest(source.id, '{}', pingHeaders), 429);

      const patch = (rate_limit: Json) => h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${source.id}`, { key, body: { rate_limit } });
      const raised = await patch({ per_second: 100, burst: 100 });
      expect(raised.body).toMatchObject({ version: 2, rate_limit: { per_second: 100, burst: 100 } });
      const removed = await patch(null);
      expect(removed.body).toMatchObject({ version: 3, rate_limit: null });
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => ingest(source.id, '{}', pingHeaders)));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
      expect((await patch(null)).body.version).toBe(3);
    });

    it('refuses a limit that is not whole requests from 1 to 100000, naming the field, over REST (400) and gRPC (INVALID_ARGUMENT)', async () => {
      const before = (await h.events('config')).length;
      const create = (rate_limit: unknown) => h.rest('POST', `/v1/tenants/${tenantId}/sources`, {
        key, body: { name: 'x', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'ping' }, rate_limit },
      });
      for (const [rateLimit, pointer] of [
        [{ per_second: 0 }, '/rate_limit/per_second'], [{ per_second: -5 }, '/rate_limit/per_second'], [{ per_second: 1.5 }, '/rate_limit/per_second'],
        [{ per_second: 100_001 }, '/rate_limit/per_second'], [{ per_second: 2, burst: 0 }, '/rate_limit/burst'], [{ per_second: 2, burst: 2.5 }, '/rate_limit/burst'],
        [{ burst: 2 }, '/rate_limit/per_second'], [{ per_second: '2' }, '/rate_limit/per_second'],
      ] as const) {
        const refused = await create(rateLimit);
        expectProblem(refused, 400);
        expect({ rateLimit, pointers: refused.body.errors.map((e: Json) => e.pointer) }).toEqual({ rateLimit, pointers: [pointer] });
      }
      const notAnObject = await create(5);
      expectProblem(notAnObject, 400);
      expect(notAnObject.body.errors.map((e: Json) => e.pointer)).toEqual(['/rate_limit']);
      const patched = await h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${github.id}`, { key, body: { rate_limit: { per_second: 0 } } });
      expectProblem(patched, 400);
      expect(patched.body.errors).toEqual([{ pointer: '/rate_limit/per_second', detail: 'must be >= 1' }]);

      const grpcCreate = (rate_limit: Json) => h.grpc('SourceService', 'CreateSource', {
        tenant_id: tenantId, name: 'x', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'ping' }, rate_limit,
      }, key);
      for (const rateLimit of [{ per_second: 0 }, { per_second: -1 }, { per_second: 2, burst: 0 }, {}]) {
        await expect(grpcCreate(rateLimit)).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringMatching(/rate_limit/) });
      }
      await expect(h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: github.id, rate_limit: { per_second: -1 } }, key))
        .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      expect((await h.events('config')).length).toBe(before);
    });

    it('is set, changed and removed over gRPC', async () => {
      const created = await h.grpc('SourceService', 'CreateSource', {
        tenant_id: tenantId, name: 'gRPC limited', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'ping' }, rate_limit: { per_second: 5 },
      }, key);
      expect(created).toMatchObject({ version: 1, rate_limit: { per_second: 5, burst: 5 } });
      const changed = await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: created.id, rate_limit: { per_second: 1, burst: 10 } }, key);
      expect(changed).toMatchObject({ version: 2, rate_limit: { per_second: 1, burst: 10 } });
      // A rename leaves the limit as it is.
      expect(await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: created.id, name: 'renamed' }, key))
        .toMatchObject({ version: 3, rate_limit: { per_second: 1, burst: 10 } });
      const removed = await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: created.id, remove_rate_limit: true }, key);
      expect(removed).toMatchObject({ version: 4 });
      expect(removed.rate_limit ?? null).toBeNull();
    });
  });

  it('takes Stripe\'s signature (several v1 entries), its event type, payload and id from the body, and refuses an old timestamp', async () => {
    const stripe = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, {
      key,
      body: {
        name: 'Stripe', verification: { type: 'stripe', secret: STRIPE_SECRET, tolerance_seconds: 60 }, event_type: { from: 'field', path: 'type' },
        idempotency: { from: 'field', path: 'id' }, payload_field: 'data.object',
      },
    });
    expect(stripe.status).toBe(201);
    expect(stripe.body.verification).toEqual({ type: 'stripe', tolerance_seconds: 60 });
    const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_1', amount: 4200 } } });
    const signed = (t: number, secret = STRIPE_SECRET) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const now = Math.floor(Date.now() / 1000);

    const old = await ingest(stripe.body.id, body, { 'stripe-signature': `t=${now - 120},v1=${signed(now - 120)}` });
    expectProblem(old, 401);
    const ok = await ingest(stripe.body.id, body, { 'stripe-signature': `t=${now},v1=${signed(now, 'whsec_rolled_out')},v1=${signed(now)}` });
    expect(ok.status).toBe(202);
    const [message] = (await published()).filter((r) => (r.event.data as Json).message_id === ok.body.message_id);
    expect(message.event.data).toMatchObject({ event_type: 'invoice.paid', payload: { id: 'in_1', amount: 4200 }, channels: [], idempotency_key: `${stripe.body.id}:evt_1` });

    // A body without the payload field: 422 naming where it looked.
    const noObject = JSON.stringify({ id: 'evt_2', type: 'invoice.paid', data: {} });
    const missing = await ingest(stripe.body.id, noObject, { 'stripe-signature': `t=${now},v1=${createHmac('sha256', STRIPE_SECRET).update(`${now}.${noObject}`).digest('hex')}` });
    expectProblem(missing, 422);
    expect(missing.body.errors).toEqual([{ pointer: '/data/object', detail: 'no payload here' }]);
  });

  it('answers 404 for a disabled source and for a deleted one, as for one that never existed', async () => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, {
      key, body: { name: 'Pinger', verification: { type: 'api_key', header: 'X-Ping-Key', key: 'p1ng' }, event_type: { from: 'fixed', event_type: 'ping' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const before = (await published()).length;
    expect((await ingest(id, '{}', { 'x-ping-key': 'p1ng' })).status).toBe(202);

    const disabled = await h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${id}`, { key, body: { enabled: false } });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id, enabled: false, version: 2 });
    expectProblem(await ingest(id, '{}', { 'x-ping-key': 'p1ng' }), 404);

    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${id}`, { key, body: { enabled: true } })).status).toBe(200);
    expect((await ingest(id, '{}', { 'x-ping-key': 'p1ng' })).status).toBe(202);

    const deleted = await h.rest('DELETE', `/v1/tenants/${tenantId}/sources/${id}`, { key });
    expect(deleted.status).toBe(204);
    expectProblem(await ingest(id, '{}', { 'x-ping-key': 'p1ng' }), 404);
    expectProblem(await h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${id}`, { key, body: { enabled: true } }), 404);
    expect((await published()).length).toBe(before + 2);
  });

  it('refuses settings it cannot use, naming the field, and appends nothing', async () => {
    const before = (await h.events('config')).length;
    const create = (body: Json) => h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key, body });
    const plainSecret = await create({ name: 'SW', verification: { type: 'standard_webhooks', secret: 'plain' }, event_type: { from: 'field', path: 'type' } });
    expectProblem(plainSecret, 400);
    expect(plainSecret.body.errors).toEqual([{ pointer: '/verification/secret', detail: 'a Standard Webhooks secret is a whsec_ secret' }]);
    const badPath = await create({ name: 'x', verification: { type: 'none' }, event_type: { from: 'field', path: 'data..type' }, channels: ['no spaces'] });
    expectProblem(badPath, 400);
    expect(badPath.body.errors.map((e: Json) => e.pointer)).toEqual(['/event_type/path', '/channels/0']);
    const unknownType = await create({ name: 'x', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'never.created' } });
    expectProblem(unknownType, 422);
    expect(unknownType.body.errors).toEqual([{ pointer: '/event_type/event_type', detail: 'unknown event type' }]);
    expect((await h.events('config')).length).toBe(before);
  });

  it('creates, changes and deletes a source over gRPC', async () => {
    const reply = await h.grpc('SourceService', 'CreateSource', {
      tenant_id: tenantId, name: 'Shopify', verification: { type: 'shopify', secret: 'shpss_1' }, event_type: { from: 'header', header: 'x-shopify-topic' },
    }, key);
    expect(reply).toMatchObject({ id: expect.stringMatching(/^src_/), version: 1, enabled: true, verification_type: 'hmac', ingest_url: expect.stringMatching(/\/ingest\/src_/) });
    const body = JSON.stringify({ id: 1 });
    const shopify = { 'x-shopify-topic': 'ping', 'x-shopify-hmac-sha256': createHmac('sha256', 'shpss_1').update(body).digest('base64') };
    expect((await ingest(reply.id, body, shopify)).status).toBe(202);

    // Fields left unset stay as they are (proto3 optional): renaming it leaves it enabled.
    expect(await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: reply.id, name: 'Shopify EU' }, key)).toMatchObject({ version: 2, enabled: true });
    const updated = await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: reply.id, enabled: false }, key);
    expect(updated).toMatchObject({ version: 3, enabled: false });
    expect((await ingest(reply.id, body, shopify)).status).toBe(404);
    await expect(h.grpc('SourceService', 'CreateSource', { tenant_id: tenantId, name: 'bad', verification: { type: 'magic' }, event_type: { from: 'fixed', event_type: 'ping' } }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect(await h.grpc('SourceService', 'DeleteSource', { tenant_id: tenantId, source_id: reply.id }, key)).toMatchObject({ version: 4 });

    // Slack's preset and handshake, and the handshake removed.
    const slack = await h.grpc('SourceService', 'CreateSource', {
      tenant_id: tenantId, name: 'Slack', verification: { type: 'slack', secret: 's1ack' }, handshake: { type: 'slack' }, event_type: { from: 'fixed', event_type: 'ping' },
    }, key);
    expect(slack).toMatchObject({ version: 1, verification_type: 'v0_hmac', handshake_type: 'slack' });
    expect(await h.grpc('SourceService', 'UpdateSource', { tenant_id: tenantId, source_id: slack.id, remove_handshake: true }, key)).toMatchObject({ version: 2, handshake_type: '' });
    // Graph's clientState in its own field.
    const graph = await h.grpc('SourceService', 'CreateSource', {
      tenant_id: tenantId, name: 'Graph', verification: { type: 'graph_client_state', client_state: 'cs-over-grpc' }, handshake: { type: 'microsoft_graph' },
      event_type: { from: 'fixed', event_type: 'ping' },
    }, key);
    expect(graph).toMatchObject({ verification_type: 'graph_client_state', handshake_type: 'microsoft_graph' });
    expect((await ingest(graph.id, JSON.stringify({ value: [{ clientState: 'cs-over-grpc' }] }), {})).status).toBe(202);
    await expect(h.grpc('SourceService', 'DeleteSource', { tenant_id: tenantId, source_id: reply.id }, key)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });

  describe('providers that check the URL first (handshakes) or sign with a timestamp (Slack, Zoom)', () => {
    const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
    const ZOOM_SECRET = 'zoom-secret-t0ken';
    const META_APP_SECRET = 'meta-app-s3cret';
    const META_VERIFY_TOKEN = 'meta-verify-t0ken';
    const create = async (body: Json) => {
      const created = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key, body });
      expect(created.status).toBe(201);
      return created.body;
    };
    const v0 = (secret: string, t: number, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex')}`;
    const slackHeaders = (body: string, t = Math.floor(Date.now() / 1000)) => ({ 'x-slack-request-timestamp': String(t), 'x-slack-signature': v0(SLACK_SECRET, t, body) });
    const expectText = (answer: RestAnswer, contentType: RegExp, text: string) => {
      expect({ status: answer.status, contentType: answer.contentType, text: answer.text }).toEqual({ status: 200, contentType: expect.stringMatching(contentType), text });
    };
    let slack: Json;

    beforeAll(async () => {
      slack = await create({
        name: 'Slack', verification: { type: 'slack', secret: SLACK_SECRET }, handshake: { type: 'slack' },
        event_type: { from: 'field', path: 'event.type' }, idempotency: { from: 'field', path: 'event_id' },
      });
    });

    it('answers Slack\'s url_verification with its challenge and publishes nothing; one that does not verify is refused', async () => {
      expect(slack).toMatchObject({
        verification: { type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', tolerance_seconds: 300 }, handshake: { type: 'slack' },
      });
      const before = (await published()).length;
      const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
      const answer = await ingest(slack.id, body, slackHeaders(body));
      expect({ status: answer.status, contentType: answer.contentType, body: answer.body })
        .toEqual({ status: 200, contentType: expect.stringMatching(/^application\/json/), body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } });
      expectProblem(await ingest(slack.id, body, slackHeaders(body.replace('Jhj5', 'Xhj5'))), 401);
      expect((await published()).length).toBe(before);
    });

    it('publishes a signed Slack event, and refuses one signed with a stale timestamp', async () => {
      const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev08MFMKH6', event: { type: 'app_mention', text: '<@U0LAN0Z89> is it everything a river should be?' } });
      const answer = await ingest(slack.id, body, slackHeaders(body));
      expect(answer.status).toBe(202);
      const [message] = (await published()).filter((r) => (r.event.data as Json).message_id === answer.body.message_id);
      expect(message.event.data).toMatchObject({ event_type: 'app_mention', payload: JSON.parse(body), idempotency_key: `${slack.id}:Ev08MFMKH6` });

      const before = (await published()).length;
      const staleBody = body.replace('Ev08MFMKH6', 'Ev08STALE1');
      expectProblem(await ingest(slack.id, staleBody, slackHeaders(staleBody, Math.floor(Date.now() / 1000) - 301)), 401);
      expect((await published()).length).toBe(before);
    });

    it('answers Zoom\'s endpoint.url_validation with the plain token and its HMAC with the secret token', async () => {
      const zoom = await create({ name: 'Zoom', verification: { type: 'zoom', secret: ZOOM_SECRET }, handshake: { type: 'zoom' }, event_type: { from: 'field', path: 'event' } });
      const before = (await published()).length;
      const body = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });
      const t = Math.floor(Date.now() / 1000);
      const answer = await ingest(zoom.id, body, { 'x-zm-request-timestamp': String(t), 'x-zm-signature': v0(ZOOM_SECRET, t, body) });
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 200, body: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', ZOOM_SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') },
      });
      expect((await published()).length).toBe(before);
      // Zoom's handshake answers with the verification's secret: without a Zoom verification there is none to answer with.
      const refused = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key, body: { name: 'x', verification: { type: 'none' }, handshake: { type: 'zoom' }, event_type: { from: 'fixed', event_type: 'ping' } } });
      expectProblem(refused, 400);
      expect(refused.body.errors.map((e: Json) => e.pointer)).toEqual(['/handshake']);
    });

    it('answers Meta\'s GET verification with the challenge for the right verify token only, and a GET to any other source with 405', async () => {
      const meta = await create({
        name: 'WhatsApp', verification: { type: 'github', secret: META_APP_SECRET }, handshake: { type: 'meta', verify_token: META_VERIFY_TOKEN },
        event_type: { from: 'fixed', event_type: 'ping' },
      });
      expect(meta.handshake).toEqual({ type: 'meta' });
      expect(JSON.stringify(meta)).not.toContain(META_VERIFY_TOKEN);
      const [event] = (await h.events('config')).filter((r) => r.event.type === 'source.created.v1' && r.event.aggregate_id === meta.id);
      expect((event.event.data as Json).handshake.verify_token_sealed).toMatch(/^enc:v1:/);
      expect(event.raw).not.toContain(META_VERIFY_TOKEN);
      const before = (await published()).length;
      const get = (id: string, token: string) => h.rest('GET', `/ingest/${id}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`, { key: null });

      expectText(await get(meta.id, META_VERIFY_TOKEN), /^text\/plain/, '1158201444');
      expectProblem(await get(meta.id, 'a-guess'), 403);
      // Recorded for the tenant to see, without the guessed token (it could be a mistyped real one).
      const guessed = await waitFor(async () => (await h.events('operational')).find((r) => r.event.type === 'source.request_refused.v1'
        && (r.event.data as Json).source_id === meta.id), 10_000, 'the GET refusal recorded');
      expect(guessed.event.data).toMatchObject({ method: 'GET', status: 403, outcome: 'forbidden',
        query: { 'hub.mode': 'subscribe', 'hub.verify_token': '[redacted]', 'hub.challenge': '1158201444' } });
      expect(guessed.raw).not.toContain('a-guess');
      expectProblem(await get(meta.id, ''), 403);
      const notMeta = await get(github.id, META_VERIFY_TOKEN);
      expectProblem(notMeta, 405);
      expect(notMeta.headers.get('allow')).toBe('POST');
      expect((await published()).length).toBe(before);
      // Meta's events are POSTs signed like GitHub's.
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
      const signed = await ingest(meta.id, body, { 'x-hub-signature-256': `sha256=${createHmac('sha256', META_APP_SECRET).update(body).digest('hex')}` });
      expect(signed.status).toBe(202);
    });

    it('echoes Microsoft Graph\'s validationToken as text/plain and publishes nothing; a source without that handshake publishes it', async () => {
      const graph = await create({ name: 'Graph', verification: { type: 'none' }, handshake: { type: 'microsoft_graph' }, event_type: { from: 'fixed', event_type: 'ping' } });
      const before = (await published()).length;
      const token = 'Validation: Testing client application reachability for subscription Request-Id: 5a8c2f4e-2f2d-4b6e-9a55-2f1c0c9d7b11';
      const answer = await h.rest('POST', `/ingest/${graph.id}?validationToken=${encodeURIComponent(token)}`, { key: null, raw: '', headers: { 'content-type': 'text/plain; charset=utf-8' } });
      expectText(answer, /^text\/plain/, token);
      expect((await published()).length).toBe(before);
      // To GitHub's source the same query string is nothing: an ordinary webhook, verified and published.
      const body = JSON.stringify({ ref: 'refs/heads/graph' });
      expect((await ingest(github.id, body, githubHeaders(body, 'delivery-graph'), `?validationToken=${encodeURIComponent(token)}`)).status).toBe(202);
      expect((await published()).length).toBe(before + 1);
    });

    it('takes Graph\'s notifications by their clientState: its URL check answered unverified, a notification with another clientState refused', async () => {
      const clientState = 'graph-client-state-4c1f';
      const graph = await create({ name: 'Graph mail', verification: { type: 'graph_client_state', client_state: clientState },
        handshake: { type: 'microsoft_graph' }, event_type: { from: 'fixed', event_type: 'ping' }, idempotency: { from: 'field', path: 'value.0.id' } });
      expect(graph.verification).toEqual({ type: 'graph_client_state' });
      expect(JSON.stringify(graph)).not.toContain(clientState);
      const [event] = (await h.events('config')).filter((r) => r.event.type === 'source.created.v1' && r.event.aggregate_id === graph.id);
      expect((event.event.data as Json).verification.secret_sealed).toMatch(/^enc:v1:/);
      expect(event.raw).not.toContain(clientState);

      // Subscribing: Graph's validation POST has no body and no clientState, and is answered all the same.
      const before = (await published()).length;
      const answer = await h.rest('POST', `/ingest/${graph.id}?validationToken=${encodeURIComponent('Validation: token 1')}`, { key: null, raw: '', headers: { 'content-type': 'text/plain' } });
      expectText(answer, /^text\/plain/, 'Validation: token 1');
      const notify = (states: string[]) => ingest(graph.id, JSON.stringify({ value: states.map((s, i) => ({ id: `n-${s}-${i}`, subscriptionId: 'sub-1', changeType: 'created', resource: 'Users/1/Messages/2', clientState: s })) }), {});
      expect((await notify([clientState])).status).toBe(202);
      expectProblem(await notify(['a-guess']), 401);
      expectProblem(await notify([clientState, 'a-guess']), 401);
      expect((await published()).length).toBe(before + 1);
    });
  });

  it('is out of a portal session\'s reach (403 over REST and gRPC), and another tenant\'s key finds no source', async () => {
    const session = await h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body: {} });
    expect(session.status).toBe(201);
    const token = session.body.token;
    const body = { name: 'x', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'ping' } };
    expectProblem(await h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key: token, body }), 403);
    expectProblem(await h.rest('PATCH', `/v1/tenants/${tenantId}/sources/${github.id}`, { key: token, body: { enabled: false } }), 403);
    expectProblem(await h.rest('DELETE', `/v1/tenants/${tenantId}/sources/${github.id}`, { key: token }), 403);
    await expect(h.grpc('SourceService', 'CreateSource', { tenant_id: tenantId, ...body }, token)).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });

    const other = await h.tenantWithKey('other');
    expectProblem(await h.rest('PATCH', `/v1/tenants/${other.tenantId}/sources/${github.id}`, { key: other.key, body: { enabled: false } }), 404);
    expectProblem(await h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key: other.key, body }), 404);
  });
});
