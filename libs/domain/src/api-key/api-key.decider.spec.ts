import { ApiKeyCreatedV1, ApiKeyEvent, ApiKeyId, TenantId } from '@hookline/contracts';
import { givenWhenThen } from '../shared/spec-helper';
import { decideApiKey, evolveApiKey, expiredSessionsForgottenBefore, initialApiKeyState, keyExpired } from './api-key.decider';

const given = givenWhenThen({ decide: decideApiKey, evolve: evolveApiKey, initialState: initialApiKeyState });

const key_id = 'key_01J0000000000000000000000A' as ApiKeyId;
const tenant_id = 'tnt_01J0000000000000000000000A' as TenantId;
const tenantKey: ApiKeyCreatedV1['data'] = {
  key_id,
  scope: 'tenant',
  tenant_id,
  name: 'ci',
  key_hash: 'a'.repeat(64),
  key_prefix: 'hk_live_ab',
  ip_allowlist: ['10.0.0.0/8'],
  rate_limit_per_second: 50,
};
const adminKey: ApiKeyCreatedV1['data'] = { ...tenantKey, scope: 'admin', tenant_id: null, name: 'ops' };
const created: ApiKeyEvent = { type: 'api_key.created.v1', data: tenantKey };
const revoked: ApiKeyEvent = { type: 'api_key.revoked.v1', data: { key_id } };

describe('API key decider', () => {
  describe('CreateApiKey', () => {
    it('creates a tenant key for an active tenant', () => {
      const { state } = given([]).when({ type: 'CreateApiKey', data: tenantKey, tenantActive: true }).then([created]);
      expect(state).toMatchObject({ status: 'active', keyId: key_id, scope: 'tenant', tenantId: tenant_id, rateLimitPerSecond: 50, version: 1 });
    });

    it('creates an admin key bound to no tenant, whatever tenantActive says', () => {
      given([])
        .when({ type: 'CreateApiKey', data: adminKey, tenantActive: false })
        .then([{ type: 'api_key.created.v1', data: adminKey }]);
    });

    it('refuses a tenant key without a tenant_id', () => {
      given([])
        .when({ type: 'CreateApiKey', data: { ...tenantKey, tenant_id: null }, tenantActive: true })
        .then({ code: 'invalid', field: '/tenant_id' });
    });

    it('refuses an admin key bound to a tenant', () => {
      given([])
        .when({ type: 'CreateApiKey', data: { ...adminKey, tenant_id }, tenantActive: true })
        .then({ code: 'invalid', field: '/tenant_id' });
    });

    it('refuses a tenant key for a tenant that is not active', () => {
      given([]).when({ type: 'CreateApiKey', data: tenantKey, tenantActive: false }).then({ code: 'not_found', field: '/tenant_id' });
    });

    describe('a portal session', () => {
      const portal: ApiKeyCreatedV1['data'] = { ...tenantKey, scope: 'portal', ip_allowlist: [], rate_limit_per_second: null, expires_at: '2026-12-01T11:00:00.000Z' };

      it('is a key of an active tenant that expires', () => {
        const { state } = given([]).when({ type: 'CreateApiKey', data: portal, tenantActive: true }).then([{ type: 'api_key.created.v1', data: portal }]);
        expect(state).toMatchObject({ status: 'active', scope: 'portal', tenantId: tenant_id, expiresAt: '2026-12-01T11:00:00.000Z' });
        expect(keyExpired(state.expiresAt, Date.parse('2026-12-01T10:59:59.999Z'))).toBe(false);
        expect(keyExpired(state.expiresAt, Date.parse('2026-12-01T11:00:00.000Z'))).toBe(true);
      });

      it.each<[string, Partial<ApiKeyCreatedV1['data']>, boolean, object]>([
        ['without an expiry', { expires_at: null }, true, { code: 'invalid', field: '/expires_at' }],
        ['with an expiry that is no time', { expires_at: 'soon' }, true, { code: 'invalid', field: '/expires_at' }],
        ['without a tenant', { tenant_id: null }, true, { code: 'invalid', field: '/tenant_id' }],
        ['for a tenant that is not active', {}, false, { code: 'not_found', field: '/tenant_id' }],
      ])('is refused %s', (_, change, tenantActive, refusal) => {
        given([]).when({ type: 'CreateApiKey', data: { ...portal, ...change }, tenantActive }).then(refusal as never);
      });

      it('may be view-only, and only a portal session may', () => {
        const viewOnly = { ...portal, read_only: true };
        const { state } = given([]).when({ type: 'CreateApiKey', data: viewOnly, tenantActive: true }).then([{ type: 'api_key.created.v1', data: viewOnly }]);
        expect(state.readOnly).toBe(true);
        expect(given([]).when({ type: 'CreateApiKey', data: portal, tenantActive: true }).then([{ type: 'api_key.created.v1', data: portal }]).state.readOnly)
          .toBeUndefined();
        given([]).when({ type: 'CreateApiKey', data: { ...tenantKey, read_only: true }, tenantActive: true }).then({ code: 'invalid', field: '/read_only' } as never);
      });
    });

    it('reads a key created before expiries existed as one that never expires', () => {
      const { state } = given([created]).when({ type: 'RevokeApiKey', data: { key_id } }).then([revoked]);
      expect(state.expiresAt).toBeNull();
      expect(keyExpired(undefined, Date.now())).toBe(false);
    });

    it.each<[string, ApiKeyEvent[]]>([
      ['active', [created]],
      ['revoked', [created, revoked]],
    ])('refuses an id that is already used by an %s key', (_, history) => {
      given(history).when({ type: 'CreateApiKey', data: tenantKey, tenantActive: true }).then('already_exists');
    });
  });

  describe('RevokeApiKey', () => {
    it('revokes an active key', () => {
      const { state } = given([created]).when({ type: 'RevokeApiKey', data: { key_id } }).then([revoked]);
      expect(state).toMatchObject({ status: 'revoked', version: 2 });
    });

    it('is idempotent on a revoked key', () => {
      given([created, revoked]).when({ type: 'RevokeApiKey', data: { key_id } }).then([]);
    });

    it('refuses a key that never existed', () => {
      given([]).when({ type: 'RevokeApiKey', data: { key_id } }).then('not_found');
    });
  });

  it('forgets portal sessions a day after they expired, not before', () => {
    expect(expiredSessionsForgottenBefore(new Date('2026-12-02T10:00:00.000Z'))).toBe('2026-12-01T10:00:00.000Z');
  });
});
