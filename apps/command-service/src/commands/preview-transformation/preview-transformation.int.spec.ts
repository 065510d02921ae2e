import { status as GrpcStatus } from '@grpc/grpc-js';
import { ADMIN_KEY, CommandServiceHarness, GrpcError, RestAnswer, startCommandServiceHarness } from '../../test/command-service.harness';

const MAX_PAYLOAD_BYTES = 4096;
const INVOICE = { event_type: 'invoice.paid', payload: { id: 'inv_1', amount: 4200 } };
const SLACK = '{ "text": "Invoice " & data.id & " paid", "cents": data.amount, "id": $message_id, "type": type }';
const ENDLESS = '( $loop := function($n) { $n < 0 ? $n : $loop($n + 1) }; $loop(0) )';

function expectProblem(r: RestAnswer, status: number) {
  expect([r.status, r.contentType]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
}

/**
 * Transformation previews (Svix's "simulate transformation"): an expression tried on a sample message, evaluated as
 * the dispatcher would for a delivery, so it can be developed without failed deliveries. Nothing is appended.
 */
describe('transformation preview (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  let otherKey: string;
  let eventsBefore: number;

  beforeAll(async () => {
    h = await startCommandServiceHarness('preview', { TRANSFORMATION_TIMEOUT_MS: '100', MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
    // No event types: a preview may try a type not created yet.
    ({ tenantId, key } = await h.tenantWithKey('previewing'));
    ({ key: otherKey } = await h.tenantWithKey('someone else'));
    eventsBefore = (await h.events()).length;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const preview = (body: unknown, as = key) => h.rest('POST', `/v1/tenants/${tenantId}/transformations/preview`, { key: as, body });

  it('answers 200 with the body the endpoint would get, its size and the sample message id the expression saw', async () => {
    const r = await preview({ ...INVOICE, transformation: SLACK });
    expect(r.status).toBe(200);
    expect(r.body.message_id).toMatch(/^msg_/);
    expect(r.body.body).toEqual({ text: 'Invoice inv_1 paid', cents: 4200, id: r.body.message_id, type: 'invoice.paid' });
    expect(r.body.body_bytes).toBe(Buffer.byteLength(JSON.stringify(r.body.body)));
  });

  it('gives the expression $channels, $endpoint_id and $attempt as a first delivery attempt would, for a type not created yet', async () => {
    const endpointId = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ0';
    const r = await preview({ event_type: 'not.created.yet', payload: { lines: [1, 2] }, channels: ['eu'], endpoint_id: endpointId,
      transformation: '{ "sum": $sum(data.lines), "channels": $channels, "endpoint": $endpoint_id, "attempt": $attempt, "at": timestamp }' });
    expect(r.status).toBe(200);
    expect(r.body.body).toEqual({ sum: 3, channels: ['eu'], endpoint: endpointId, attempt: 1, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const defaults = await preview({ ...INVOICE, transformation: '{ "channels": $count($channels), "endpoint": $endpoint_id }' });
    expect(defaults.body.body).toEqual({ channels: 0, endpoint: null });
  });

  it('is a 422 naming /transformation when the expression fails on this payload ($error)', async () => {
    const r = await preview({ ...INVOICE, transformation: 'data.amount > 100 ? $error("boom") : data' });
    expectProblem(r, 422);
    expect(r.body.type).toBe('https://hookline.dev/problems/transformation-failed');
    expect(r.body.errors).toEqual([{ pointer: '/transformation', detail: expect.stringContaining('boom') }]);
    expect((await preview({ ...INVOICE, transformation: 'data.nothing' })).body.errors)
      .toEqual([{ pointer: '/transformation', detail: 'it gave no result for this message' }]);
  });

  it('stops an expression past TRANSFORMATION_TIMEOUT_MS (422) and answers the next preview', async () => {
    const started = Date.now();
    const r = await preview({ ...INVOICE, transformation: ENDLESS });
    expectProblem(r, 422);
    expect(r.body.errors).toEqual([{ pointer: '/transformation', detail: 'it ran longer than 100 ms' }]);
    expect(Date.now() - started).toBeLessThan(5_000);
    const next = await preview({ ...INVOICE, transformation: 'data.id' });
    expect([next.status, next.body.body]).toEqual([200, 'inv_1']);
  });

  it('is a 400 naming the field for an expression that does not parse, or a missing payload or event_type', async () => {
    const unparsable = await preview({ ...INVOICE, transformation: '{ "text": data.id &' });
    expectProblem(unparsable, 400);
    expect(unparsable.body.errors).toEqual([{ pointer: '/transformation', detail: expect.stringMatching(/^is not a JSONata expression at character \d+: /) }]);
    for (const field of ['payload', 'event_type', 'transformation'] as const) {
      const body: Record<string, unknown> = { ...INVOICE, transformation: SLACK };
      delete body[field];
      const r = await preview(body);
      expectProblem(r, 400);
      expect([field, r.body.errors.map((e: { pointer: string }) => e.pointer)]).toEqual([field, expect.arrayContaining([`/${field}`])]);
    }
    expectProblem(await preview({ ...INVOICE, transformation: SLACK, event_type: 'x'.repeat(257) }), 400);
    expectProblem(await preview({ ...INVOICE, transformation: SLACK, endpoint_id: 'not-an-id' }), 400);
  });

  it(`is a 413 for a payload over MAX_PAYLOAD_BYTES (${MAX_PAYLOAD_BYTES}), as publishing is`, async () => {
    const r = await preview({ event_type: 'big', payload: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) }, transformation: 'data' });
    expectProblem(r, 413);
    expect(r.body.errors).toEqual([{ pointer: '/payload', detail: 'too large' }]);
  });

  it("is a 404 with another tenant's key, and works with an admin key", async () => {
    expectProblem(await preview({ ...INVOICE, transformation: SLACK }, otherKey), 404);
    expect((await preview({ ...INVOICE, transformation: SLACK }, ADMIN_KEY)).status).toBe(200);
  });

  it('over gRPC: the body as sent; INVALID_ARGUMENT when the expression does not parse, FAILED_PRECONDITION when it fails', async () => {
    const request = { tenant_id: tenantId, transformation: SLACK, event_type: 'invoice.paid', payload_json: '{"id":"inv_1","amount":4200}' };
    const reply = await h.grpc<{ body_json: string; body_bytes: number; message_id: string }>('EndpointService', 'PreviewTransformation', request, key);
    expect(reply.message_id).toMatch(/^msg_/);
    expect(JSON.parse(reply.body_json)).toEqual({ text: 'Invoice inv_1 paid', cents: 4200, id: reply.message_id, type: 'invoice.paid' });
    expect(reply.body_bytes).toBe(Buffer.byteLength(reply.body_json));

    const unparsable: GrpcError = await h.grpc('EndpointService', 'PreviewTransformation', { ...request, transformation: '$$$(' }, key).catch((e: GrpcError) => e);
    expect(unparsable.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(JSON.parse(String(unparsable.metadata.get('problem-errors')[0]))).toEqual([{ pointer: '/transformation', detail: expect.any(String) }]);
    await expect(h.grpc('EndpointService', 'PreviewTransformation', { ...request, transformation: '$error("boom")' }, key))
      .rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION, details: expect.stringContaining('boom') });
  });

  it('is documented without Idempotency-Key (it is no command), and nothing was appended to any topic', async () => {
    const doc = (await h.rest('GET', '/openapi.json', { key: null })).body;
    const operation = doc.paths['/v1/tenants/{tenantId}/transformations/preview'].post;
    expect([operation.tags, operation.parameters.map((p: { name: string }) => p.name)]).toEqual([['endpoints'], ['tenantId']]);
    expect((await h.events()).length).toBe(eventsBefore);
  });
});
