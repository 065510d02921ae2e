import { status as GrpcStatus } from '@grpc/grpc-js';
import { stringify as stringifyYaml } from 'yaml';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { CommandServiceHarness, Json, RestAnswer, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_PAYLOAD_BYTES = 64 * 1024;

const INVOICE = {
  type: 'object',
  required: ['invoice_id', 'amount'],
  properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 0 } },
};
// Compatible with INVOICE: one more optional property.
const INVOICE_NOTED = { ...INVOICE, properties: { ...INVOICE.properties, note: { type: 'string' } } };

/** An OpenAPI 3.1 document with three webhooks: one an envelope around a $ref, one a plain payload, one without a body. */
function billingSpec(invoice: object = INVOICE, refundSummary = 'A refund was issued'): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Billing webhooks', version: '1.0.0' },
    webhooks: {
      'invoice.paid': {
        post: {
          summary: 'An invoice was paid',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type', 'timestamp', 'data'],
                  properties: { type: { const: 'invoice.paid' }, timestamp: { type: 'string', format: 'date-time' }, data: { $ref: '#/components/schemas/Invoice' } },
                },
              },
            },
          },
        },
      },
      'refund.issued': {
        post: {
          summary: refundSummary,
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { refund_id: { type: 'string' } }, required: ['refund_id'] } } } },
        },
      },
      'account.ping': { post: { description: 'Sent to check an endpoint' } },
    },
    components: { schemas: { Invoice: invoice } },
  };
}

function expectProblem(r: RestAnswer, status: number) {
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
}

/**
 * POST /v1/tenants/{id}/event-types/import-openapi and EventTypeService/ImportOpenApi against the real service: every
 * webhook of the document becomes an event type, all or nothing, through the same config topic and write model as
 * POST /event-types.
 */
describe('importing event types from an OpenAPI document (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;

  beforeAll(async () => {
    h = await startCommandServiceHarness('import-openapi', { OPENAPI_IMPORT_MAX_BYTES: String(MAX_DOCUMENT_BYTES), MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) });
  });
  afterAll(async () => {
    await h?.close();
  });

  const importSpec = (tenantId: string, key: string, body: Json, headers: Record<string, string> = {}) =>
    h.rest('POST', `/v1/tenants/${tenantId}/event-types/import-openapi`, { key, body, headers });
  const configEventsOf = async (tenantId: string) => (await h.events('config')).filter((r) => r.event.tenant_id === tenantId && r.event.type.startsWith('event_type.'));
  const eventTypesOf = async (tenantId: string) =>
    (await h.sql(`SELECT aggregate_id, state FROM command.aggregates WHERE kind = 'event_type' AND tenant_id = $1 ORDER BY aggregate_id`, [tenantId])).rows;

  it('creates an event type per webhook, all in one batch on the tenant\'s partition, and messages are validated against the imported schemas', async () => {
    const { tenantId, key } = await h.tenantWithKey('Importer');
    const res = await importSpec(tenantId, key, { spec: billingSpec() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: [{ name: 'invoice.paid', schema_version: 1 }, { name: 'refund.issued', schema_version: 1 }, { name: 'account.ping', schema_version: null }],
      updated: [],
      skipped: [],
      dry_run: false,
      position: expect.any(String),
    });

    const events = await configEventsOf(tenantId);
    expect(events.map((r) => [r.event.type, (r.event.data as Json).name])).toEqual([
      ['event_type.created.v1', 'account.ping'], ['event_type.created.v1', 'invoice.paid'], ['event_type.created.v1', 'refund.issued'],
    ]);
    expect(new Set(events.map((r) => `${r.key}/${r.partition}`)).size).toBe(1);
    expect(events.map((r) => BigInt(r.offset) - BigInt(events[0].offset))).toEqual([0n, 1n, 2n]);
    // The envelope's data is the payload Hookline validates: the schema is the Invoice component, inlined.
    expect(events[1].event.data).toEqual({ name: 'invoice.paid', description: 'An invoice was paid', schema: INVOICE, requires_approval: false });
    expect((await eventTypesOf(tenantId)).map((r: Json) => [r.aggregate_id, r.state.status, r.state.description])).toEqual([
      ['account.ping', 'active', 'Sent to check an endpoint'], ['invoice.paid', 'active', 'An invoice was paid'], ['refund.issued', 'active', 'A refund was issued'],
    ]);

    const publish = (eventType: string, payload: Json) => h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: eventType, payload } });
    expect((await publish('invoice.paid', { invoice_id: 'in_1', amount: 100 })).status).toBe(202);
    const bad = await publish('invoice.paid', { invoice_id: 'in_1', amount: -1 });
    expectProblem(bad, 400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '/payload/amount' })]);
    expectProblem(await publish('refund.issued', { invoice_id: 'in_1' }), 400);
    expect((await publish('account.ping', { anything: true })).status).toBe(202);
  });

  it('appends nothing when one webhook is wrong, and names every problem by its webhook', async () => {
    const { tenantId, key } = await h.tenantWithKey('Careful');
    const spec = billingSpec();
    spec.webhooks['Invoice Voided'] = { post: { requestBody: { content: { 'application/json': { schema: { type: 'nonsense' } } } } } };
    spec.webhooks['tree.changed'] = { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } };
    spec.components.schemas.Node = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } };
    const before = (await h.events('config')).length;

    const res = await importSpec(tenantId, key, { spec });
    expectProblem(res, 400);
    expect(res.body.detail).toBe('the OpenAPI document can\'t be imported: 3 problems (nothing was imported)');
    // Those found reading the document first, then those POST /event-types would answer for each webhook.
    expect(res.body.errors).toEqual([
      { pointer: '/spec/webhooks/tree.changed/post/requestBody/content/application~1json/schema', detail: expect.stringContaining('$ref "#/components/schemas/Node" refers back to itself') },
      { pointer: '/spec/webhooks/Invoice Voided', detail: 'event type name must be lowercase dotted words like "invoice.paid"' },
      { pointer: '/spec/webhooks/Invoice Voided/post/requestBody/content/application~1json/schema', detail: expect.stringContaining('schema is invalid') },
    ]);
    expect((await h.events('config')).length).toBe(before);
    expect(await eventTypesOf(tenantId)).toEqual([]);
  });

  it('commits the commands of one import all or none: one refused in the transaction (a type created meanwhile) keeps every other out', async () => {
    const { tenantId } = await h.tenantWithKey('Raced', ['b.taken']);
    const before = (await h.events('config')).length;
    const create = (name: string) => ({ aggregateId: name, command: { type: 'CreateEventType' as const, data: { name, description: '', schema: null, requires_approval: false } } });
    await expect(h.running.infra.store.respondAll(EVENT_TYPE, tenantId, [create('a.new'), create('b.taken'), create('c.new')], {
      actor: { kind: 'system', id: 'test' }, correlationId: 'raced-import',
    }, () => ({}))).rejects.toMatchObject({ kind: 'already_exists' });
    expect((await eventTypesOf(tenantId)).map((r: Json) => r.aggregate_id)).toEqual(['b.taken']);
    expect((await h.events('config')).length).toBe(before);
  });

  it('answers a dry run with what would happen, and appends nothing', async () => {
    const { tenantId, key } = await h.tenantWithKey('Dry', ['refund.issued']);
    const before = (await h.events('config')).length;
    const res = await importSpec(tenantId, key, { spec: billingSpec(), dry_run: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: [{ name: 'invoice.paid', schema_version: 1 }, { name: 'account.ping', schema_version: null }],
      updated: [],
      skipped: [{ name: 'refund.issued', reason: 'already_exists' }],
      dry_run: true,
      position: null,
    });
    expect((await h.events('config')).length).toBe(before);
    expect((await eventTypesOf(tenantId)).map((r: Json) => r.aggregate_id)).toEqual(['refund.issued']);
  });

  it('with update_existing, publishes a new schema version only where the schema changed, and holds it to the compatibility rule', async () => {
    const { tenantId, key } = await h.tenantWithKey('Updater');
    expect((await importSpec(tenantId, key, { spec: billingSpec() })).status).toBe(200);
    const before = (await configEventsOf(tenantId)).length;

    const again = await importSpec(tenantId, key, { spec: billingSpec(INVOICE_NOTED, 'A refund went out'), update_existing: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      created: [],
      updated: [{ name: 'invoice.paid', schema_version: 2, changed: ['schema'] }, { name: 'refund.issued', schema_version: 1, changed: ['description'] }],
      skipped: [{ name: 'account.ping', reason: 'unchanged' }],
    });
    const appended = (await configEventsOf(tenantId)).slice(before);
    expect(appended.map((r) => [r.event.type, (r.event.data as Json).name])).toEqual([
      ['event_type.schema_published.v1', 'invoice.paid'], ['event_type.updated.v1', 'refund.issued'],
    ]);
    expect(appended[0].event.data).toMatchObject({ version: 2, schema: INVOICE_NOTED, breaking_changes: [] });

    // The same document again changes nothing; without update_existing everything is skipped.
    expect((await importSpec(tenantId, key, { spec: billingSpec(INVOICE_NOTED, 'A refund went out'), update_existing: true })).body.updated).toEqual([]);
    expect((await importSpec(tenantId, key, { spec: billingSpec() })).body.skipped.map((s: Json) => s.reason)).toEqual(['already_exists', 'already_exists', 'already_exists']);

    // Breaking: amount becomes a string. Refused with the pointer into the document, unless forced.
    const breaking = { ...INVOICE_NOTED, properties: { ...INVOICE_NOTED.properties, amount: { type: 'string' } } };
    const refused = await importSpec(tenantId, key, { spec: billingSpec(breaking, 'A refund went out'), update_existing: true });
    expectProblem(refused, 409);
    expect(refused.body.errors).toContainEqual({
      pointer: '/spec/webhooks/invoice.paid/post/requestBody/content/application~1json/schema/amount', detail: 'type narrowed, no longer accepts integer',
    });
    const forced = await importSpec(tenantId, key, { spec: billingSpec(breaking, 'A refund went out'), update_existing: true, force: true });
    expect(forced.body.updated).toEqual([{ name: 'invoice.paid', schema_version: 3, changed: ['schema'] }]);
    expect((await configEventsOf(tenantId)).length).toBe(before + 3);
  });

  it('answers a retry with the same Idempotency-Key with the first answer, appending nothing twice', async () => {
    const { tenantId, key } = await h.tenantWithKey('Retrier');
    const first = await importSpec(tenantId, key, { spec: billingSpec() }, { 'idempotency-key': 'import-1' });
    const retry = await importSpec(tenantId, key, { spec: billingSpec() }, { 'idempotency-key': 'import-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await configEventsOf(tenantId)).length).toBe(3);
  });

  it('reads documents past the request limit of other routes, up to OPENAPI_IMPORT_MAX_BYTES (413 above)', async () => {
    const { tenantId, key } = await h.tenantWithKey('Big docs');
    const padded = (bytes: number) => ({ ...billingSpec(), info: { title: 'Billing', version: '1', description: 'x'.repeat(bytes) } });
    expect((await importSpec(tenantId, key, { spec: padded(MAX_PAYLOAD_BYTES * 4), dry_run: true })).status).toBe(200);
    expectProblem(await importSpec(tenantId, key, { spec: padded(MAX_DOCUMENT_BYTES), dry_run: true }), 413);
    // Every other route keeps its own limit.
    expectProblem(await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'a.b', description: 'x'.repeat(MAX_PAYLOAD_BYTES * 2) } }), 413);
  });

  it('refuses a portal session (403) and another tenant\'s key (404), appending nothing', async () => {
    const { tenantId, key } = await h.tenantWithKey('Guarded');
    const other = await h.tenantWithKey('Other');
    const { token } = (await h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body: {} })).body;
    const before = (await h.events('config')).length;
    expectProblem(await importSpec(tenantId, token, { spec: billingSpec() }), 403);
    expectProblem(await importSpec(tenantId, other.key, { spec: billingSpec() }), 404);
    await expect(h.grpc('EventTypeService', 'ImportOpenApi', { tenant_id: tenantId, spec_json: JSON.stringify(billingSpec()) }, token))
      .rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect((await h.events('config')).length).toBe(before);
  });

  it('imports a document kept as YAML, given as its text, to the same event types and schemas as its JSON; broken YAML is a 400 with the line', async () => {
    const [asJson, asYaml] = [await h.tenantWithKey('From JSON'), await h.tenantWithKey('From YAML')];
    expect((await importSpec(asJson.tenantId, asJson.key, { spec: billingSpec() })).status).toBe(200);
    // As a hand-written openapi.yaml has it: an anchor for the invoice, reused by reference.
    const yamlText = stringifyYaml(billingSpec(), { aliasDuplicateObjects: false });
    const res = await importSpec(asYaml.tenantId, asYaml.key, { spec: yamlText });
    expect(res.status).toBe(200);
    expect(res.body.created.map((t: Json) => [t.name, t.schema_version])).toEqual([['invoice.paid', 1], ['refund.issued', 1], ['account.ping', null]]);
    const stateOf = async (tenantId: string) => (await eventTypesOf(tenantId)).map((r: Json) => ({ name: r.state.name, schemas: r.state.schemas?.map((v: Json) => v.schema) }));
    expect(await stateOf(asYaml.tenantId)).toEqual(await stateOf(asJson.tenantId));
    expect(JSON.stringify(await stateOf(asYaml.tenantId))).toContain('"invoice_id"'); // the $ref'd schema, resolved

    const broken = await importSpec(asYaml.tenantId, asYaml.key, { spec: 'openapi: 3.1.0\nwebhooks:\n  a.b: {post: [\n', dry_run: true });
    expectProblem(broken, 400);
    expect(broken.body.errors[0]).toEqual({ pointer: '/spec', detail: expect.stringMatching(/at line \d+, column \d+$/) });
    expectProblem(await importSpec(asYaml.tenantId, asYaml.key, { spec: 42 }), 400);
    // Over gRPC, the same text in spec_json.
    const reply = await h.grpc('EventTypeService', 'ImportOpenApi', { tenant_id: asYaml.tenantId, spec_json: yamlText, dry_run: true }, asYaml.key);
    expect(reply.skipped.map((t: Json) => t.reason)).toEqual(['already_exists', 'already_exists', 'already_exists']);
    await expect(h.grpc('EventTypeService', 'ImportOpenApi', { tenant_id: asYaml.tenantId, spec_json: 'a: [', dry_run: true }, asYaml.key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringContaining('spec_json') });
  });

  it('imports over gRPC (EventTypeService/ImportOpenApi), with INVALID_ARGUMENT and FAILED_PRECONDITION for what REST answers 400 and 409', async () => {
    const { tenantId, key } = await h.tenantWithKey('Over gRPC');
    const call = (spec: Json, extra: Json = {}) => h.grpc('EventTypeService', 'ImportOpenApi', { tenant_id: tenantId, spec_json: JSON.stringify(spec), ...extra }, key);

    const dry = await call(billingSpec(), { dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, position: null });
    expect(dry.created.map((t: Json) => t.name)).toEqual(['invoice.paid', 'refund.issued', 'account.ping']);
    expect(await eventTypesOf(tenantId)).toEqual([]);

    const reply = await call(billingSpec());
    expect(reply).toEqual({
      created: [
        { name: 'invoice.paid', schema_version: 1, changed: [] }, { name: 'refund.issued', schema_version: 1, changed: [] }, { name: 'account.ping', schema_version: 0, changed: [] },
      ],
      updated: [],
      skipped: [],
      dry_run: false,
      position: { token: expect.any(String) },
    });
    expect((await eventTypesOf(tenantId)).length).toBe(3);

    await expect(call({ swagger: '2.0' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(h.grpc('EventTypeService', 'ImportOpenApi', { tenant_id: tenantId, spec_json: '{not json' }, key)).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    const breaking = { ...INVOICE, properties: { ...INVOICE.properties, amount: { type: 'string' } } };
    await expect(call(billingSpec(breaking), { update_existing: true })).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
    const skipped = await call(billingSpec());
    expect(skipped.skipped).toEqual([
      { name: 'invoice.paid', reason: 'already_exists' }, { name: 'refund.issued', reason: 'already_exists' }, { name: 'account.ping', reason: 'already_exists' },
    ]);
  });
});
