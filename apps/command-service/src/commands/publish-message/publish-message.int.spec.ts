import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, GrpcError, RestAnswer, startCommandServiceHarness } from '../../test/command-service.harness';

const MAX_PAYLOAD_BYTES = 4096;
const INVOICE_V1 = {
  type: 'object',
  properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 0 }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
  required: ['invoice_id', 'amount'],
};
// Compatible: a new optional property, a widened enum.
const INVOICE_V2 = {
  ...INVOICE_V1,
  properties: { ...INVOICE_V1.properties, currency: { type: 'string', enum: ['EUR', 'USD', 'GBP'] }, note: { type: 'string' } },
};
// Breaking: amount becomes a string, and a new field is required.
const INVOICE_V3 = {
  ...INVOICE_V2,
  properties: { ...INVOICE_V2.properties, amount: { type: 'string' }, customer_id: { type: 'string' } },
  required: ['invoice_id', 'amount', 'customer_id'],
};

function expectProblem(r: RestAnswer, status: number) {
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\/hookline\.dev\/problems\//), detail: expect.any(String) });
}

describe('publishing messages (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('publish', { MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
    tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Publisher' } })).body.id;
    key = (await h.rest('POST', '/v1/api-keys', { body: { name: 'pub', scope: 'tenant', tenant_id: tenantId } })).body.key;
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'invoice.paid', schema: INVOICE_V1 } })).status).toBe(201);
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'free.form' } })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const publish = (body: unknown, headers: Record<string, string> = {}) => h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body, headers });
  const publishedWithKey = async (idempotencyKey: string) =>
    (await h.events('messages')).filter((r) => r.event.type === 'message.published.v1' && (r.event.data as { idempotency_key: string | null }).idempotency_key === idempotencyKey);

  describe('Idempotency-Key', () => {
    it('a retry with the same key and body gets the same message id and no second event', async () => {
      const body = { event_type: 'invoice.paid', payload: { invoice_id: 'in_1', amount: 100 } };
      const first = await publish(body, { 'idempotency-key': 'retry-1' });
      expect(first.status).toBe(202);
      expect(first.headers.get('idempotent-replayed')).toBeNull();

      const retry = await publish(body, { 'idempotency-key': 'retry-1' });
      expect(retry.status).toBe(202);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');

      // The same request serialised in another key order is the same request.
      const reordered = await publish({ payload: { amount: 100, invoice_id: 'in_1' }, event_type: 'invoice.paid' }, { 'idempotency-key': 'retry-1' });
      expect(reordered.status).toBe(202);
      expect(reordered.body.id).toBe(first.body.id);

      // And so is the same message through gRPC.
      const viaGrpc = await h.grpcCall('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'invoice.paid', payload_json: '{"invoice_id":"in_1","amount":100}', idempotency_key: 'retry-1' }, key);
      expect(viaGrpc.reply.id).toBe(first.body.id);
      expect(viaGrpc.metadata.get('idempotent-replayed')).toEqual(['true']);

      const events = await publishedWithKey('retry-1');
      expect(events).toHaveLength(1);
      expect(events[0].event.data).toMatchObject({ message_id: first.body.id, payload: { invoice_id: 'in_1', amount: 100 } });
    });

    it('the same key with another body is refused with 422 and publishes nothing', async () => {
      const first = await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_2', amount: 1 } }, { 'idempotency-key': 'reuse-2' });
      expect(first.status).toBe(202);
      const other = await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_2', amount: 2 } }, { 'idempotency-key': 'reuse-2' });
      expectProblem(other, 422);
      expect(other.body.type).toBe('https://hookline.dev/problems/idempotency-conflict');
      expect(other.body.errors).toEqual([{ pointer: 'Idempotency-Key', detail: expect.any(String) }]);
      await expect(
        h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'invoice.paid', payload_json: '{"invoice_id":"in_2","amount":3}', idempotency_key: 'reuse-2' }, key),
      ).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
      const events = await publishedWithKey('reuse-2');
      expect(events.map((r) => (r.event.data as { message_id: string }).message_id)).toEqual([first.body.id]);
    });

    it('10 concurrent requests with one key publish one event; the others answer 409 Retry-After and, retried, the same id', async () => {
      const body = { event_type: 'invoice.paid', payload: { invoice_id: 'in_concurrent', amount: 5 } };
      const answers = await Promise.all(Array.from({ length: 10 }, () => publish(body, { 'idempotency-key': 'burst-3' })));
      const accepted = answers.filter((a) => a.status === 202);
      const busy = answers.filter((a) => a.status !== 202);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(new Set(accepted.map((a) => a.body.id)).size).toBe(1);
      for (const a of busy) {
        expectProblem(a, 409);
        expect(a.headers.get('retry-after')).toBe('1');
      }
      for (let i = 0; i < busy.length; i++) {
        const retried = await publish(body, { 'idempotency-key': 'burst-3' });
        expect(retried.status).toBe(202);
        expect(retried.body.id).toBe(accepted[0].body.id);
      }
      const events = await publishedWithKey('burst-3');
      expect(events).toHaveLength(1);
      expect((events[0].event.data as { message_id: string }).message_id).toBe(accepted[0].body.id);
    });

    it('a malformed key is a 400 on both transports', async () => {
      expectProblem(await publish({ event_type: 'free.form', payload: {} }, { 'idempotency-key': 'has space' }), 400);
      await expect(
        h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'free.form', payload_json: '{}', idempotency_key: 'x'.repeat(10_000) }, key),
      ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringMatching(/Idempotency-Key/) });
    });
  });

  describe('payload validation', () => {
    it('a payload that breaks the schema is a 400 listing every problem by JSON pointer, and nothing is published', async () => {
      const before = (await h.events('messages')).length;
      const bad = await publish({ event_type: 'invoice.paid', payload: { amount: -5, currency: 'JPY' } });
      expectProblem(bad, 400);
      expect(bad.body.detail).toMatch(/does not match the schema of "invoice.paid" \(version 1\)/);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/payload/invoice_id', detail: expect.any(String) },
          { pointer: '/payload/amount', detail: expect.stringMatching(/>= 0/) },
          { pointer: '/payload/currency', detail: expect.stringMatching(/allowed values/) },
        ]),
      );
      expect((await h.events('messages')).length).toBe(before);
    });

    it('gRPC gives INVALID_ARGUMENT with the same pointers in the problem-errors metadata', async () => {
      const err: GrpcError = await h
        .grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'invoice.paid', payload_json: '{"invoice_id": 7, "amount": 1}' }, key)
        .catch((e: GrpcError) => e);
      expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(err.details).toMatch(/\/payload\/invoice_id/);
      expect(JSON.parse(String(err.metadata.get('problem-errors')[0]))).toEqual([{ pointer: '/payload/invoice_id', detail: 'must be string' }]);
    });

    it('an unknown event type is a 422 naming the field (FAILED_PRECONDITION over gRPC)', async () => {
      const r = await publish({ event_type: 'invoice.voided', payload: {} });
      expectProblem(r, 422);
      expect(r.body.errors).toEqual([{ pointer: '/event_type', detail: expect.any(String) }]);
      expect(r.body.detail).toMatch(/"invoice.voided" does not exist/);
      await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'invoice.voided', payload_json: '{}' }, key)).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
      });
    });

    it('an event type without a schema takes any object', async () => {
      const r = await publish({ event_type: 'free.form', payload: { anything: [1, 'two', { three: null }] } });
      expect(r.status).toBe(202);
    });

    it('a payload reaches the log exactly as sent over REST and gRPC, keys named constructor, prototype and __proto__ included', async () => {
      const payload = '{"car":{"constructor":"Ford","prototype":true,"__proto__":{"seats":4}},"parts":[{"constructor":"Bosch"}]}';
      const rest = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, {
        key, raw: `{"event_type":"free.form","payload":${payload}}`, headers: { 'content-type': 'application/json' },
      });
      expect(rest.status).toBe(202);
      const grpc = await h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'free.form', payload_json: payload }, key);

      const events = await h.events('messages');
      for (const id of [rest.body.id, grpc.id]) {
        const published = events.find((r) => (r.event.data as { message_id: string }).message_id === id);
        expect(JSON.stringify((published?.event.data as { payload: unknown }).payload)).toBe(payload);
      }
    });
  });

  it('a schema keeps a property named constructor, and payloads are held to it', async () => {
    const schema = '{"type":"object","properties":{"constructor":{"type":"string"},"prototype":{"type":"boolean"}},"required":["constructor"]}';
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, {
      key, raw: `{"name":"car.built","schema":${schema}}`, headers: { 'content-type': 'application/json' },
    });
    expect(created.status).toBe(201);

    const wrongType = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, {
      key, raw: '{"event_type":"car.built","payload":{"constructor":5}}', headers: { 'content-type': 'application/json' },
    });
    expectProblem(wrongType, 400);
    expect(wrongType.body.errors).toEqual([{ pointer: '/payload/constructor', detail: 'must be string' }]);
    const ok = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, {
      key, raw: '{"event_type":"car.built","payload":{"constructor":"Ford","prototype":true}}', headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(202);
  });

  describe('schema versions', () => {
    const publishSchema = (schema: unknown, extra: Record<string, unknown> = {}) =>
      h.rest('POST', `/v1/tenants/${tenantId}/event-types/invoice.paid/schemas`, { key, body: { schema, ...extra } });
    const schemaEvents = async () => (await h.events('config')).filter((r) => r.event.type === 'event_type.schema_published.v1' && r.event.tenant_id === tenantId);

    it('a compatible version is accepted and messages are validated against it from then on', async () => {
      const r = await publishSchema(INVOICE_V2);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ name: 'invoice.paid', schema_version: 2, breaking_changes: [], version: 2 });

      const msg = await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_v2', amount: 1, currency: 'GBP' } });
      expect(msg.status).toBe(202);
      const [published] = (await h.events('messages')).filter((e) => (e.event.data as { message_id: string }).message_id === msg.body.id);
      expect(published.event.data).toMatchObject({ event_type_version: 2 });
    });

    it('a breaking version is refused with the list of what breaks, and nothing is appended', async () => {
      const before = await schemaEvents();
      const r = await publishSchema(INVOICE_V3);
      expectProblem(r, 409);
      expect(r.body.type).toBe('https://hookline.dev/problems/incompatible-schema');
      expect(r.body.detail).toMatch(/force=true/);
      expect(r.body.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/schema/amount', detail: expect.stringMatching(/type narrowed/) },
          { pointer: '/schema/customer_id', detail: expect.stringMatching(/new required field/) },
        ]),
      );
      expect(await schemaEvents()).toHaveLength(before.length);
      // Still validated against version 2.
      expect((await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_x', amount: 3 } })).status).toBe(202);
    });

    it('force=true publishes the breaking version and records what broke', async () => {
      const r = await publishSchema(INVOICE_V3, { force: true });
      expect(r.status).toBe(201);
      expect(r.body.schema_version).toBe(3);
      expect(r.body.breaking_changes).toEqual(expect.arrayContaining([expect.stringMatching(/^\/amount: /), expect.stringMatching(/^\/customer_id: /)]));
      const last = (await schemaEvents()).at(-1)!;
      expect(last.event.data).toMatchObject({ name: 'invoice.paid', version: 3, breaking_changes: r.body.breaking_changes });

      const old = await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_old', amount: 3 } });
      expectProblem(old, 400);
      expect(old.body.errors).toEqual(expect.arrayContaining([{ pointer: '/payload/customer_id', detail: expect.any(String) }]));
      expect((await publish({ event_type: 'invoice.paid', payload: { invoice_id: 'in_new', amount: '3', customer_id: 'c' } })).status).toBe(202);
    });

    it('gRPC PublishSchema: breaking without force is FAILED_PRECONDITION listing the breaks', async () => {
      const err: GrpcError = await h
        .grpc('EventTypeService', 'PublishSchema', { tenant_id: tenantId, name: 'invoice.paid', schema_json: JSON.stringify({ ...INVOICE_V3, required: [] }) }, key)
        .catch((e: GrpcError) => e);
      expect(err.code).toBe(GrpcStatus.FAILED_PRECONDITION);
      expect(JSON.parse(String(err.metadata.get('problem-errors')[0]))).toEqual(
        expect.arrayContaining([{ pointer: '/schema/customer_id', detail: expect.stringMatching(/required field removed/) }]),
      );
    });
  });

  describe('payload size', () => {
    it(`a payload over MAX_PAYLOAD_BYTES (${MAX_PAYLOAD_BYTES}) is a 413, and nothing is published`, async () => {
      const before = (await h.events('messages')).length;
      const justUnder = await publish({ event_type: 'free.form', payload: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES - 20) } });
      expect(justUnder.status).toBe(202);

      const tooLarge = await publish({ event_type: 'free.form', payload: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) } });
      expectProblem(tooLarge, 413);
      expect(tooLarge.body.detail).toMatch(new RegExp(`limit is ${MAX_PAYLOAD_BYTES}`));

      // A body far past the limit is cut off by the parser, with the same kind of answer.
      const huge = await publish({ event_type: 'free.form', payload: { blob: 'x'.repeat(200 * 1024) } });
      expectProblem(huge, 413);

      await expect(
        h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'free.form', payload_json: JSON.stringify({ blob: 'x'.repeat(MAX_PAYLOAD_BYTES) }) }, key),
      ).rejects.toMatchObject({ code: GrpcStatus.RESOURCE_EXHAUSTED });
      expect((await h.events('messages')).length).toBe(before + 1);
    });
  });

  describe('endpoint_ids', () => {
    it('names the endpoints a message goes to, on both transports; without it the event carries no such field', async () => {
      const ids = [];
      for (const path of ['a', 'b']) ids.push((await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: `http://127.0.0.1:9/${path}` } })).body.id);
      const rest = await publish({ event_type: 'free.form', payload: { to: 'one' }, endpoint_ids: [ids[1], ids[1]] });
      expect(rest.status).toBe(202);
      const grpc = await h.grpc<{ id: string }>('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'free.form', payload_json: '{"to":"both"}', endpoint_ids: ids }, key);
      const everyone = await publish({ event_type: 'free.form', payload: { to: 'all' } });
      const dataOf = async (id: string) => (await h.events('messages')).find((r) => (r.event.data as { message_id: string }).message_id === id)!.event.data;
      expect(await dataOf(rest.body.id)).toMatchObject({ endpoint_ids: [ids[1]] });
      expect(await dataOf(grpc.id)).toMatchObject({ endpoint_ids: ids });
      expect(await dataOf(everyone.body.id)).not.toHaveProperty('endpoint_ids');
    });

    it('an endpoint that does not exist, or of another tenant, is a 422 naming it; an empty list a 400; nothing is published', async () => {
      const before = (await h.events('messages')).length;
      const otherTenant = (await h.rest('POST', '/v1/tenants', { body: { name: 'Other' } })).body.id;
      const foreign = (await h.rest('POST', `/v1/tenants/${otherTenant}/endpoints`, { body: { url: 'http://127.0.0.1:9/x' } })).body.id;
      const unknown = await publish({ event_type: 'free.form', payload: {}, endpoint_ids: ['ep_01JABCDEFGHJKMNPQRSTVWXYZ0', foreign] });
      expectProblem(unknown, 422);
      expect(unknown.body.errors).toEqual([
        { pointer: '/endpoint_ids/0', detail: 'endpoint ep_01JABCDEFGHJKMNPQRSTVWXYZ0 does not exist' },
        { pointer: '/endpoint_ids/1', detail: `endpoint ${foreign} does not exist` },
      ]);
      expectProblem(await publish({ event_type: 'free.form', payload: {}, endpoint_ids: [] }), 400);
      expectProblem(await publish({ event_type: 'free.form', payload: {}, endpoint_ids: ['not-an-id'] }), 400);
      expect((await h.events('messages')).length).toBe(before);
    });
  });

  describe('tags', () => {
    const dataOf = async (id: string) => (await h.events('messages')).find((r) => (r.event.data as { message_id: string }).message_id === id)!.event.data;

    it('go on the log with the message, once each, on both transports; a message without them carries no such field', async () => {
      const rest = await publish({ event_type: 'free.form', payload: {}, tags: ['customer:cus_42', 'region/eu', 'customer:cus_42'] });
      expect(rest.status).toBe(202);
      const grpc = await h.grpc<{ id: string }>('MessageService', 'PublishMessage',
        { tenant_id: tenantId, event_type: 'free.form', payload_json: '{}', tags: ['order#7'] }, key);
      const plain = await publish({ event_type: 'free.form', payload: {} });
      expect(await dataOf(rest.body.id)).toMatchObject({ tags: ['customer:cus_42', 'region/eu'] });
      expect(await dataOf(grpc.id)).toMatchObject({ tags: ['order#7'] });
      expect(await dataOf(plain.body.id)).not.toHaveProperty('tags');
    });

    it('a tag with a space, an empty one, one too long or an eleventh is a 400 naming /tags and the rule (INVALID_ARGUMENT over gRPC); nothing is published', async () => {
      const before = (await h.events('messages')).length;
      for (const [tags, detail] of [[['ok', 'not ok'], /tags are letters, digits/], [[''], /128/], [['x'.repeat(129)], /128/],
        [Array.from({ length: 11 }, (_, i) => `t${i}`), /10/]] as const) {
        const res = await publish({ event_type: 'free.form', payload: {}, tags });
        expectProblem(res, 400);
        expect(res.body.errors).toContainEqual({ pointer: '/tags', detail: expect.stringMatching(detail) });
      }
      await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'free.form', payload_json: '{}', tags: ['a b'] }, key))
        .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
      expect((await h.events('messages')).length).toBe(before);
    });
  });
});
