import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { clientCertificate, fixtures } from '../testing/event-fixtures';
import { PROTO_PATH, RunningQueryService } from '../query-service';

type Client = grpc.Client & Record<string, (req: object, md: grpc.Metadata, options: never, cb: never) => void>;

describe('gRPC API (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let clients: Record<string, Client>;
  let address: string;
  const [tenant, other] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
  const [endpoint, foreignEndpoint] = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
  const [message, foreignMessage] = [newId('message') as MessageId, newId('message') as MessageId];
  const key = 'hk_grpc_tenant_key_for_tests';

  const call = (svc: string, method: string, request: object, auth: string | null = key) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted field by field
    new Promise<any>((resolve, reject) => {
      const md = new grpc.Metadata();
      if (auth) md.set('authorization', `Bearer ${auth}`);
      clients[svc][method](request, md, { deadline: Date.now() + 10_000 } as never, ((err: grpc.ServiceError | null, res: unknown) =>
        (err ? reject(err) : resolve(res))) as never);
    });

  beforeAll(async () => {
    stack = await TestStack.create('grpcapi');
    let config;
    ({ service, config } = await stack.startService());
    address = `127.0.0.1:${config.GRPC_PORT}`;
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
      fixtures.endpointCreated(tenant, endpoint, { client_certificate: clientCertificate('CC:03'), approved_event_types: [] }),
      fixtures.eventTypeCreated(tenant, 'payout.sent', { requiresApproval: true }),
      fixtures.certificateWarning(tenant, endpoint, 'CC:03', 'expiring', new Date('2026-12-18T00:00:00.000Z')),
      fixtures.eventTypeCreated(tenant, 'invoice.paid'), fixtures.messagePublished(tenant, { messageId: message, tags: ['customer:cus_42'] }),
      fixtures.attempted(tenant, message, endpoint, 1, 'retrying'), fixtures.deadLettered(tenant, message, endpoint, 1),
      fixtures.tenantCreated(other), fixtures.endpointCreated(other, foreignEndpoint), fixtures.messagePublished(other, { messageId: foreignMessage }),
    ]);
    expect((await getJson(`http://127.0.0.1:${config.PORT}`, `/v1/messages?position=${positionOf(appended)}`, key)).status).toBe(200);
    const definition = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, defaults: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated client constructors have no static types
    const pkg = grpc.loadPackageDefinition(definition) as any;
    const api = pkg.hookline.query.v1;
    clients = Object.fromEntries(['MessagesService', 'EndpointsService', 'StatsService', 'DeadLettersService', 'EventTypesService', 'AuditLogService']
      .map((name) => [name, new api[name](address, grpc.credentials.createInsecure())]));
  });
  afterAll(async () => {
    for (const c of Object.values(clients ?? {})) c.close();
    await service?.stop();
    await stack?.close();
  });

  it('answers one query of every service', async () => {
    const page = await call('MessagesService', 'ListMessages', { limit: 10 });
    expect(page.data.map((m: { id: string }) => m.id)).toEqual([message]);
    expect(JSON.parse(page.data[0].payload_json)).toEqual({ amount: 42 });
    expect(page.data[0].deliveries[0]).toMatchObject({ endpoint_id: endpoint, status: 'dead_lettered' });
    expect(page.data[0].tags).toEqual(['customer:cus_42']);
    expect((await call('MessagesService', 'ListMessages', { tag: 'customer:cus_42' })).data.map((m: { id: string }) => m.id)).toEqual([message]);
    expect((await call('MessagesService', 'ListMessages', { tag: 'customer:cus_43' })).data).toEqual([]);
    expect(await call('MessagesService', 'GetMessage', { message_id: message })).toMatchObject({ id: message, event_type: 'invoice.paid' });
    expect((await call('MessagesService', 'ListMessageAttempts', { message_id: message })).data).toHaveLength(1);
    expect(await call('EndpointsService', 'GetEndpointHealth', { endpoint_id: endpoint })).toMatchObject({ attempts: '1', successes: '0',
      client_certificate_fingerprint_sha256: 'CC:03', client_certificate_not_after: '2027-01-01T00:00:00.000Z',
      client_certificate_warning: 'expiring', client_certificate_warned_at: '2026-12-18T00:00:00.000Z' });
    expect((await call('EndpointsService', 'ListEndpointAttempts', { endpoint_id: endpoint })).data[0]).toMatchObject({ response_status: 503 });
    const stats = await call('EndpointsService', 'GetEndpointStats', { endpoint_id: endpoint });
    expect(stats).toMatchObject({ endpoint_id: endpoint, interval: 'hour', totals: { attempts: '1', succeeded: '0', failed: '1' } });
    expect(stats.buckets).toHaveLength(24);
    expect(stats.buckets.filter((b: { attempts: string }) => b.attempts !== '0')).toEqual([expect.objectContaining({ failed: '1', latency_p50_ms: 42 })]);
    const tenantStats = await call('StatsService', 'GetTenantStats', { interval: 'day' });
    expect(tenantStats).toMatchObject({ tenant_id: tenant, interval: 'day', totals: { attempts: '1', succeeded: '0', failed: '1' } });
    expect(tenantStats.buckets).toHaveLength(30);
    // A type that came to need approval after the endpoint of every type was approved: shown as awaiting, as over REST.
    expect((await call('EndpointsService', 'ListEndpoints', {})).data[0]).toMatchObject({ id: endpoint, all_event_types: true,
      event_types_awaiting_approval: ['payout.sent'] });
    // The attempt filters, as over REST.
    expect((await call('EndpointsService', 'ListEndpointAttempts', { endpoint_id: endpoint, status_code_class: '5xx', outcome: 'failed' })).data)
      .toHaveLength(1);
    expect((await call('EndpointsService', 'ListEndpointAttempts', { endpoint_id: endpoint, outcome: 'succeeded' })).data).toEqual([]);
    expect((await call('MessagesService', 'ListMessageAttempts', { message_id: message, error_class: 'http_status', trigger: 'initial' })).data)
      .toHaveLength(1);
    expect((await call('MessagesService', 'ListMessageAttempts', { message_id: message, status_code_class: 'none' })).data).toEqual([]);
    expect((await call('DeadLettersService', 'ListDeadLetters', {})).data[0]).toMatchObject({ message_id: message, attempts: 1, cause: 'exhausted' });
    const types = await call('EventTypesService', 'ListEventTypes', {});
    const invoicePaid = types.data.find((t: { name: string }) => t.name === 'invoice.paid');
    expect(invoicePaid).toMatchObject({ name: 'invoice.paid', current_version: 1 });
    expect(JSON.parse(invoicePaid.schemas[0].schema_json)).toMatchObject({ type: 'object' });
    expect((await call('AuditLogService', 'ListAuditLog', {})).data.map((a: { type: string }) => a.type).sort())
      .toEqual(['api_key.created.v1', 'endpoint.created.v1', 'event_type.created.v1', 'event_type.created.v1', 'tenant.created.v1']);
  });

  it('refuses bad input with INVALID_ARGUMENT, naming the field', async () => {
    await expect(call('MessagesService', 'ListMessages', { status: 'exploded' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('status') });
    await expect(call('MessagesService', 'ListMessages', { limit: 1000 })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(call('EndpointsService', 'GetEndpointStats', { endpoint_id: endpoint, interval: 'week' }))
      .rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('interval') });
    await expect(call('StatsService', 'GetTenantStats', { since: '2020-01-01T00:00:00Z' }))
      .rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('at most 168 hours') });
    await expect(call('EndpointsService', 'ListEndpointAttempts', { endpoint_id: endpoint, status_code_class: '6xx' }))
      .rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('status_code_class') });
    const error = await call('MessagesService', 'GetMessage', { message_id: 'not-an-id' }).catch((err: grpc.ServiceError) => err);
    expect(error).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect(JSON.parse(error.metadata.get('problem-errors-bin')[0].toString())).toEqual([expect.objectContaining({ pointer: '/message_id' })]);
  });

  it('answers NOT_FOUND for unknown and foreign ids', async () => {
    await expect(call('MessagesService', 'GetMessage', { message_id: foreignMessage })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(call('MessagesService', 'GetMessage', { message_id: newId('message') })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(call('EndpointsService', 'GetEndpointHealth', { endpoint_id: foreignEndpoint })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(call('MessagesService', 'ListMessages', { tenant_id: other })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await expect(call('StatsService', 'GetTenantStats', { tenant_id: other })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('answers UNAUTHENTICATED without a key', async () => {
    await expect(call('MessagesService', 'ListMessages', {}, null)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(call('DeadLettersService', 'ListDeadLetters', {}, 'hk_wrong')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });

  it('serves reflection, listing the query services', async () => {
    const reflectionProto = join(require.resolve('@grpc/reflection'), '..', '..', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated client constructors have no static types
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto, { keepCase: true })) as any;
    const client = new pkg.grpc.reflection.v1.ServerReflection(address, grpc.credentials.createInsecure());
    const names = await new Promise<string[]>((resolve, reject) => {
      const stream = client.ServerReflectionInfo();
      stream.on('data', (res: { list_services_response?: { service: Array<{ name: string }> } }) => {
        resolve((res.list_services_response?.service ?? []).map((s) => s.name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ list_services: '' });
    });
    client.close();
    expect(names).toEqual(expect.arrayContaining(['hookline.query.v1.MessagesService', 'hookline.query.v1.AuditLogService']));
  });
});
