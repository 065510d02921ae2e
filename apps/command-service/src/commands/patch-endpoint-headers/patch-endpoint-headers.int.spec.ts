import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, Json, startCommandServiceHarness } from '../../test/command-service.harness';

jest.setTimeout(60_000);

/**
 * PATCH …/endpoints/{id}/headers (gRPC EndpointService/PatchEndpointHeaders): some headers set or removed, the others
 * kept, so a caller who reads them masked (`****`) never has to send their values back.
 */
describe('patching an endpoint\'s custom headers (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('header-patch');
    ({ tenantId, key } = await h.tenantWithKey('header-patch', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = async (body: Json = {}) => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`,
      { key, body: { url: 'http://127.0.0.1:9/hooks', headers: { 'X-Api-Key': 'sk_original', 'X-Team': 'billing' }, ...body } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const patch = (endpointId: string, headers: Json, k = key) =>
    h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${endpointId}/headers`, { key: k, body: { headers } });
  const headerUpdates = async (endpointId: string) =>
    (await h.events('config')).filter((r) => r.event.type === 'endpoint.updated.v1' && r.event.aggregate_id === endpointId)
      .map((r) => (r.event.data as Json).headers);

  it('sets and removes the headers named and keeps the others; names match whatever their case', async () => {
    const endpointId = await createEndpoint();
    const res = await patch(endpointId, { 'x-team': 'payments', 'X-Region': 'eu' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: endpointId, version: 2, status: 'enabled' });
    expect((await patch(endpointId, { 'X-Region': null })).status).toBe(200);
    expect(await headerUpdates(endpointId)).toEqual([
      { 'X-Api-Key': 'sk_original', 'x-team': 'payments', 'X-Region': 'eu' },
      { 'X-Api-Key': 'sk_original', 'x-team': 'payments' },
    ]);
    // Nothing to change: no event, the same version.
    expect((await patch(endpointId, { 'X-Gone': null })).body).toMatchObject({ version: 3 });
    expect(await headerUpdates(endpointId)).toHaveLength(2);
  });

  it('refuses bad headers by name with nothing appended: reserved, malformed, a value with a line break, one too many, Authorization beside auth', async () => {
    const endpointId = await createEndpoint();
    const reserved = await patch(endpointId, { 'Webhook-Id': 'x', 'Bad Name': 'x', 'X-Split': 'a\r\nb' });
    expect(reserved.status).toBe(400);
    expect(reserved.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(reserved.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/headers/Bad Name', '/headers/Webhook-Id', '/headers/X-Split']);
    const many = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`X-H${i}`, 'v']));
    const tooMany = await patch(endpointId, many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ pointer: '/headers' })]);
    expect((await patch(endpointId, 'not an object' as never)).status).toBe(400);
    const withAuth = await createEndpoint({ headers: {}, auth: { type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/token', client_id: 'c', client_secret: 's' } });
    const clash = await patch(withAuth, { Authorization: 'Bearer static' });
    expect(clash.status).toBe(400);
    expect(clash.body.errors[0].pointer).toBe('/headers/Authorization');
    expect(await headerUpdates(endpointId)).toEqual([]);
    expect((await patch('ep_01JABCDEFGHJKMNPQRSTVWXYZ9', { 'X-A': 'b' })).status).toBe(404);
  });

  it('over gRPC: set and remove, with the same refusals; a portal session may patch its tenant\'s endpoints', async () => {
    const endpointId = await createEndpoint();
    const reply = await h.grpc('EndpointService', 'PatchEndpointHeaders',
      { tenant_id: tenantId, endpoint_id: endpointId, set: { 'X-Region': 'us' }, remove: ['x-api-key'] }, key);
    expect(reply).toMatchObject({ id: endpointId, version: 2 });
    expect(await headerUpdates(endpointId)).toEqual([{ 'X-Team': 'billing', 'X-Region': 'us' }]);
    await expect(h.grpc('EndpointService', 'PatchEndpointHeaders', { tenant_id: tenantId, endpoint_id: endpointId, set: { 'Webhook-Signature': 'x' } }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });

    const session = await h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body: {} });
    expect(session.status).toBe(201);
    expect((await patch(endpointId, { 'X-Team': 'support' }, session.body.token)).status).toBe(200);
    expect((await headerUpdates(endpointId)).at(-1)).toEqual({ 'X-Team': 'support', 'X-Region': 'us' });
  });
});
