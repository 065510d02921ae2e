import { TenantId, newId } from '@hookline/contracts';
import { TestStack, getJson, positionOf } from '../testing/harness';
import { fixtures } from '../testing/event-fixtures';
import { RunningQueryService } from '../query-service';

describe('cursor pagination while rows keep arriving (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const tenant = newId('tenant') as TenantId;
  const key = 'hk_pagination_tenant_key';

  beforeAll(async () => {
    stack = await TestStack.create('paging');
    ({ service, baseUrl } = await stack.startService());
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('returns every row exactly once, newest first, while new messages are projected between pages', async () => {
    const base = Date.now() - 3_600_000;
    // Same-millisecond pairs prove the id tiebreak of the keyset.
    const initial = Array.from({ length: 120 }, (_, i) => fixtures.messagePublished(tenant, { at: new Date(base + Math.floor(i / 2)),
      channels: [i % 3 === 0 ? 'fizz' : 'buzz'] }));
    const appended = await stack.publish([fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), ...initial]);
    const position = positionOf(appended);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      // A burst of newer messages lands between every two pages.
      await stack.publish(Array.from({ length: 5 }, () => fixtures.messagePublished(tenant)));
      const query: string = `/v1/messages?limit=7&position=${position}${cursor ? `&cursor=${cursor}` : ''}&until=${new Date(base + 3_600_000 - 1000).toISOString()}`;
      const res = await getJson(baseUrl, query, key);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor);

    const expected = initial.map((e) => (e.data as { message_id: string }).message_id).reverse();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(120 / 7));

    const fizz = await getJson(baseUrl, `/v1/messages?channel=fizz&limit=250&until=${new Date(base + 60_000).toISOString()}`, key);
    expect(fizz.body.data.length).toBe(40);
  });

  it('pages without a time bound also return each existing row exactly once as newer rows arrive', async () => {
    const seen: string[] = [];
    const before = await getJson(baseUrl, '/v1/messages?limit=250', key);
    const existing = new Set<string>(before.body.data.map((m: { id: string }) => m.id));
    let cursor: string | null = null;
    do {
      await stack.publish(Array.from({ length: 3 }, () => fixtures.messagePublished(tenant)));
      const res = await getJson(baseUrl, `/v1/messages?limit=25${cursor ? `&cursor=${cursor}` : ''}`, key);
      seen.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of existing) expect(seen).toContain(id);
  });
});
