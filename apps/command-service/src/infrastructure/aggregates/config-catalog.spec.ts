import { DataSource } from 'typeorm';
import { ConfigCatalog } from './config-catalog';

describe('ConfigCatalog', () => {
  it('reads an event type once for a burst of publishes that all miss the cache, and again after this instance changed it', async () => {
    const queries: unknown[][] = [];
    const ds = {
      query: async (_sql: string, params: unknown[]) => {
        queries.push(params);
        await new Promise((resolve) => setImmediate(resolve));
        return [{ state: { name: 'invoice.paid', status: 'active', version: queries.length } }];
      },
    } as unknown as DataSource;
    const catalog = new ConfigCatalog(ds);
    const states = await Promise.all(Array.from({ length: 64 }, () => catalog.eventType('ten_1', 'invoice.paid')));
    expect(new Set(states.map((s) => s.status))).toEqual(new Set(['active']));
    expect(queries).toEqual([['event_type', 'ten_1', 'invoice.paid']]);
    catalog.invalidate('event_type', 'ten_1', 'invoice.paid');
    await catalog.eventType('ten_1', 'invoice.paid');
    expect(queries).toHaveLength(2);
  });
});
