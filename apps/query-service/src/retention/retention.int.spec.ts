import { EndpointId, MessageId, SourceId, TenantId, newId } from '@hookline/contracts';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { ReadModels } from '../database/read-models';
import { projectBatch } from '../projection/project-batch';
import { asRecord, fixtures } from '../testing/event-fixtures';
import { purgeExpired } from './retention.job';

describe('retention purge (real Postgres)', () => {
  let db: TestDatabase;
  let models: ReadModels;

  beforeAll(async () => {
    db = await createTestDatabase('retention');
    models = await ReadModels.open({ url: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await models.close();
    await db.drop();
  });

  it('purges payloads and attempts past the tenant retention, or the default when the tenant set none', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const [shortTenant, defaultTenant] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
    const endpoint = newId('endpoint') as EndpointId;
    const source = newId('source') as SourceId;
    const ids = { shortOld: newId('message') as MessageId, shortNew: newId('message') as MessageId, defaultOld: newId('message') as MessageId };
    const events = [
      fixtures.tenantCreated(shortTenant, 3), fixtures.tenantCreated(defaultTenant, 0),
      fixtures.messagePublished(shortTenant, { messageId: ids.shortOld, at: new Date(now - 5 * day) }),
      fixtures.attempted(shortTenant, ids.shortOld, endpoint, 1, 'succeeded', { at: new Date(now - 5 * day) }),
      fixtures.messagePublished(shortTenant, { messageId: ids.shortNew, at: new Date(now - 1 * day) }),
      fixtures.messagePublished(defaultTenant, { messageId: ids.defaultOld, at: new Date(now - 5 * day) }),
      // Requests an HTTP source refused are kept as long as attempts.
      fixtures.requestRefused(shortTenant, source, new Date(now - 5 * day)),
      fixtures.requestRefused(shortTenant, source, new Date(now - 1 * day)),
    ];
    await projectBatch(models, { topic: 't', partition: 0, records: events.map(asRecord) }, { consumer: 'projector', generation: 'active' });

    expect(await purgeExpired(models, 30)).toEqual({ payloadsPurged: 1, attemptsDeleted: 1, refusedRequestsDeleted: 1, portalSessionsDeleted: 0 });
    const rows: Array<{ message_id: string; payload: unknown; purged: boolean }> = await models.read((em) =>
      em.query('SELECT message_id, payload, payload_purged_at IS NOT NULL AS purged FROM messages ORDER BY message_id'));
    const byId = Object.fromEntries(rows.map((r) => [r.message_id, r]));
    expect(byId[ids.shortOld]).toMatchObject({ payload: null, purged: true });
    expect(byId[ids.shortNew]).toMatchObject({ payload: { amount: 42 }, purged: false });
    expect(byId[ids.defaultOld]).toMatchObject({ payload: { amount: 42 }, purged: false });
    expect(await purgeExpired(models, 4)).toEqual({ payloadsPurged: 1, attemptsDeleted: 0, refusedRequestsDeleted: 0, portalSessionsDeleted: 0 });
    const refusals: Array<{ created_at: Date }> = await models.read((em) => em.query('SELECT created_at FROM source_refused_requests WHERE tenant_id = $1', [shortTenant]));
    expect(refusals.map((r) => Math.round((now - r.created_at.getTime()) / day))).toEqual([1]);
  });

  it("forgets portal sessions' keys a day after they expired, and no other key", async () => {
    const now = Date.now();
    const tenant = newId('tenant') as TenantId;
    const events = [
      fixtures.tenantCreated(tenant),
      fixtures.apiKeyCreated(tenant, 'hk_live_session_long_gone', { portalUntil: new Date(now - 25 * 3600_000) }),
      fixtures.apiKeyCreated(tenant, 'hk_live_session_just_expired', { portalUntil: new Date(now - 3600_000) }),
      fixtures.apiKeyCreated(tenant, 'hk_live_session_still_open', { portalUntil: new Date(now + 3600_000) }),
      fixtures.apiKeyCreated(tenant, 'hk_live_ordinary_tenant_key'),
    ];
    await projectBatch(models, { topic: 't', partition: 1, records: events.map(asRecord) }, { consumer: 'projector', generation: 'active' });
    expect((await purgeExpired(models, 30, new Date(now))).portalSessionsDeleted).toBe(1);
    const left: Array<{ scope: string; hours: number | null }> = await models.read((em) => em.query(
      `SELECT scope, round(extract(epoch FROM expires_at - $2::timestamptz) / 3600)::int AS hours FROM api_keys WHERE tenant_id = $1 ORDER BY hours NULLS LAST`,
      [tenant, new Date(now).toISOString()]));
    expect(left).toEqual([{ scope: 'portal', hours: -1 }, { scope: 'portal', hours: 1 }, { scope: 'tenant', hours: null }]);
  });
});
