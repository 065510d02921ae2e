import { hashApiKey } from '@hookline/auth';
import { DataSource } from 'typeorm';
import { Authenticator } from './authenticator';

const TENANT_KEY = 'hk_tenant_key_for_the_authenticator_spec';

/** A write model holding one active tenant key, counting the lookups that reach it. */
function writeModel(status: () => string, extra: Record<string, unknown> = {}) {
  const queries: unknown[][] = [];
  const ds = {
    query: async (_sql: string, params: unknown[]) => {
      queries.push(params);
      const read = status(); // the row as it was when the query ran; the answer comes back later
      await new Promise((resolve) => setImmediate(resolve));
      if (params[0] !== hashApiKey(TENANT_KEY)) return [];
      return [{ state: { keyId: 'key_1', scope: 'tenant', tenantId: 'ten_1', status: read, ipAllowlist: [], rateLimitPerSecond: null, ...extra }, tenant_status: 'active' }];
    },
  } as unknown as DataSource;
  return { ds, queries };
}

describe('Authenticator', () => {
  it('looks a key up once for a burst of requests that all miss the cache', async () => {
    const { ds, queries } = writeModel(() => 'active');
    const auth = new Authenticator(ds, 'hk_admin_key_for_the_authenticator_spec', 0);
    const contexts = await Promise.all(Array.from({ length: 64 }, () => auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')));
    expect(contexts.every((c) => c.keyId === 'key_1' && c.tenantId === 'ten_1')).toBe(true);
    expect(queries).toHaveLength(1);
    await auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1');
    expect(queries).toHaveLength(1);
  });

  it('refuses a key revoked on this instance at once, even while a lookup from before the revocation is running', async () => {
    let status = 'active';
    const { ds, queries } = writeModel(() => status);
    const auth = new Authenticator(ds, 'hk_admin_key_for_the_authenticator_spec', 0);
    await auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1');
    auth.forget(hashApiKey(TENANT_KEY));
    const before = auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1');
    status = 'revoked';
    auth.forget(hashApiKey(TENANT_KEY));
    await expect(auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')).rejects.toThrow('unknown or revoked API key');
    await expect(before).resolves.toMatchObject({ keyId: 'key_1' }); // it started before the revocation
    await expect(auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')).rejects.toThrow('unknown or revoked API key');
    expect(queries).toHaveLength(4);
  });

  it('does not cache an unknown key: each try is looked up and refused', async () => {
    const { ds, queries } = writeModel(() => 'active');
    const auth = new Authenticator(ds, 'hk_admin_key_for_the_authenticator_spec', 0);
    await expect(auth.authenticate('Bearer hk_not_a_key_anyone_issued_xxxxxxxx', '127.0.0.1')).rejects.toThrow('unknown or revoked API key');
    await expect(auth.authenticate('Bearer hk_not_a_key_anyone_issued_xxxxxxxx', '127.0.0.1')).rejects.toThrow('unknown or revoked API key');
    expect(queries).toHaveLength(2);
  });

  it('refuses a portal session from the moment it expires, even while its key is still cached', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const { ds, queries } = writeModel(() => 'active', { scope: 'portal', expiresAt: '2026-12-01T10:00:02.000Z' });
    const auth = new Authenticator(ds, 'hk_admin_key_for_the_authenticator_spec', 0, () => now);
    await expect(auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')).resolves.toMatchObject({ scope: 'portal', expiresAt: '2026-12-01T10:00:02.000Z' });
    now += 1999;
    await expect(auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')).resolves.toMatchObject({ scope: 'portal' });
    now += 1;
    await expect(auth.authenticate(`Bearer ${TENANT_KEY}`, '127.0.0.1')).rejects.toThrow('this portal session expired at 2026-12-01T10:00:02.000Z');
    expect(queries).toHaveLength(1); // the cached key, refused without a lookup
  });
});
