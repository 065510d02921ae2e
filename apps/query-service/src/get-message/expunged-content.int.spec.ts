import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { TestStack, getJson, positionOf } from '../testing/harness';

/** message.content_expunged.v1 in the read models: the payload goes from the message and its dead letters; the rest stays. */
describe("an expunged message's content (real Kafka + Postgres)", () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const key = 'hk_expunged_content_tenant_key';
  const [first, second] = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
  const [expunged, kept] = [newId('message') as MessageId, newId('message') as MessageId];

  beforeAll(async () => {
    stack = await TestStack.create('expunged');
    ({ service, baseUrl } = await stack.startService());
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('nulls the payload of the message and of its dead letters, marks it expunged, and keeps the rest of its history', async () => {
    const published = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.endpointCreated(tenant, first), fixtures.endpointCreated(tenant, second),
      fixtures.messagePublished(tenant, { messageId: expunged }), fixtures.messagePublished(tenant, { messageId: kept }),
      fixtures.attempted(tenant, expunged, first, 1, 'dead_lettered'), fixtures.deadLettered(tenant, expunged, first, 1),
      fixtures.deadLettered(tenant, kept, first, 1),
    ]);
    const before = await getJson(baseUrl, `/v1/messages/${expunged}?position=${positionOf(published)}`, key);
    expect(before.body).toMatchObject({ payload: { amount: 42 }, payload_purged: false, payload_expunged: false });

    // The expunge; then a dead letter read after it (the deliveries topic is projected apart from the messages topic),
    // and a second copy of the message itself: neither brings the content back.
    const after = await stack.publish([fixtures.contentExpunged(tenant, expunged), fixtures.deadLettered(tenant, expunged, second, 3),
      fixtures.messagePublished(tenant, { messageId: expunged })]);
    const message = await getJson(baseUrl, `/v1/messages/${expunged}?position=${positionOf(after)}`, key);
    expect(message.status).toBe(200);
    expect(message.body).toMatchObject({ id: expunged, event_type: 'invoice.paid', payload: null, payload_purged: true, payload_expunged: true,
      deliveries: [expect.objectContaining({ endpoint_id: first, status: 'dead_lettered' }), expect.objectContaining({ endpoint_id: second })] });
    expect((await getJson(baseUrl, `/v1/messages/${kept}`, key)).body).toMatchObject({ payload: { amount: 42 }, payload_purged: false, payload_expunged: false });

    const dead = await getJson(baseUrl, '/v1/dead-letters', key);
    const byMessage = (id: MessageId) => dead.body.data.filter((d: { message_id: string }) => d.message_id === id);
    expect(byMessage(expunged)).toHaveLength(2);
    expect(byMessage(expunged).map((d: { payload: unknown }) => d.payload)).toEqual([null, null]);
    expect(byMessage(kept).map((d: { payload: unknown }) => d.payload)).toEqual([{ amount: 42 }]);
  });
});
