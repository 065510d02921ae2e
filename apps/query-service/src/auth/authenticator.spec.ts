import { hashApiKey } from '@hookline/auth';
import { ReadModels } from '../database/read-models';
import { ApiKeyEntity } from '../database/read-model/entities';
import { Authenticator } from './authenticator';

const KEY = 'hk_tenant_key_for_the_query_authenticator_spec';

/** Read models holding one projected tenant key once `projected` is true, counting the lookups that reach them. */
function readModels(projected: () => boolean, extra: Partial<ApiKeyEntity> = {}) {
  const lookups: string[] = [];
  const models = {
    read: async (work: (em: unknown) => Promise<unknown>) => work({
      query: async (_sql: string, [keyHash]: [string]) => {
        lookups.push(keyHash);
        const found = projected() && keyHash === hashApiKey(KEY);
        await new Promise((resolve) => setImmediate(resolve));
        return found ? [{ key_id: 'key_1', scope: 'tenant', tenant_id: 'ten_1', ip_allowlist: [], rate_limit_per_second: null, status: 'active', expires_at: null, ...extra } as Partial<ApiKeyEntity>] : [];
      },
    }),
  } as unknown as ReadModels;
  return { models, lookups };
}

describe('query-service Authenticator', () => {
  it('looks a key up once for a burst of queries that all miss the cache', async () => {
    const { models, lookups } = readModels(() => true);
    const auth = new Authenticator(models, hashApiKey('hk_admin_key_for_the_query_authenticator_spec'));
    const principals = await Promise.all(Array.from({ length: 64 }, () => auth.authenticate({ authorization: `Bearer ${KEY}`, ip: '127.0.0.1' })));
    expect(principals.every((p) => p.kind === 'tenant' && p.tenantId === 'ten_1')).toBe(true);
    expect(lookups).toHaveLength(1);
  });

  it('accepts a key as soon as it is projected: a miss is not cached', async () => {
    let projected = false;
    const { models } = readModels(() => projected);
    const auth = new Authenticator(models, hashApiKey('hk_admin_key_for_the_query_authenticator_spec'));
    await expect(auth.authenticate({ authorization: `Bearer ${KEY}`, ip: '127.0.0.1' })).rejects.toThrow('unknown or revoked API key');
    projected = true;
    await expect(auth.authenticate({ authorization: `Bearer ${KEY}`, ip: '127.0.0.1' })).resolves.toMatchObject({ kind: 'tenant', tenantId: 'ten_1' });
  });

  it('reads as its tenant with a portal session until it expires, then refuses it, cached or not', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const { models, lookups } = readModels(() => true, { scope: 'portal', expires_at: new Date('2026-12-01T10:00:01Z') });
    const auth = new Authenticator(models, hashApiKey('hk_admin_key_for_the_query_authenticator_spec'), () => now);
    await expect(auth.authenticate({ authorization: `Bearer ${KEY}`, ip: '127.0.0.1' })).resolves.toEqual({ kind: 'tenant', keyId: 'key_1', tenantId: 'ten_1', portal: true });
    now += 1000;
    await expect(auth.authenticate({ authorization: `Bearer ${KEY}`, ip: '127.0.0.1' })).rejects.toThrow('this portal session expired at 2026-12-01T10:00:01.000Z');
    expect(lookups).toHaveLength(1);
  });

  it("refuses a portal session the operator's configuration (403), whichever tenant it names, and lets tenant and admin keys read it", () => {
    const auth = new Authenticator(readModels(() => true).models, hashApiKey('hk_admin_key_for_the_query_authenticator_spec'));
    const portal = { kind: 'tenant' as const, keyId: 'key_1', tenantId: 'ten_1', portal: true as const };
    expect(auth.tenantOf(portal, undefined)).toBe('ten_1');
    for (const requested of [undefined, 'ten_1', 'ten_2']) {
      expect(() => auth.tenantOf(portal, requested, 'operator')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    }
    expect(auth.tenantOf({ kind: 'tenant', keyId: 'key_2', tenantId: 'ten_1' }, undefined, 'operator')).toBe('ten_1');
    expect(auth.tenantOf({ kind: 'admin', keyId: 'admin' }, 'ten_2', 'operator')).toBe('ten_2');
  });
});
