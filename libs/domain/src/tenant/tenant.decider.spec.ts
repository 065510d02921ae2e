import { TenantEvent, TenantId } from '@hookline/contracts';
import { checkExpectedVersion } from '../shared/decision';
import { givenWhenThen } from '../shared/spec-helper';
import { decideTenant, evolveTenant, initialTenantState } from './tenant.decider';

const given = givenWhenThen({ decide: decideTenant, evolve: evolveTenant, initialState: initialTenantState });

const tenant_id = 'tnt_01J0000000000000000000000A' as TenantId;
const acme = { tenant_id, name: 'Acme', retention_days: 30, metadata: { plan: 'pro' } };
const created: TenantEvent = { type: 'tenant.created.v1', data: acme };
const deleted: TenantEvent = { type: 'tenant.deleted.v1', data: { tenant_id } };

describe('tenant decider', () => {
  describe('CreateTenant', () => {
    it('creates a tenant that does not exist yet', () => {
      const { state } = given([])
        .when({ type: 'CreateTenant', data: acme })
        .then([created]);
      expect(state).toMatchObject({ status: 'active', tenantId: tenant_id, name: 'Acme', retentionDays: 30, version: 1 });
    });

    it('refuses an id that is taken, pointing at /id', () => {
      given([created])
        .when({ type: 'CreateTenant', data: { tenant_id, name: 'Other', retention_days: 7, metadata: {} } })
        .then({ code: 'already_exists', field: '/id' });
    });

    it('refuses to reuse the id of a deleted tenant', () => {
      given([created, deleted]).when({ type: 'CreateTenant', data: { tenant_id, name: 'Again', retention_days: 7, metadata: {} } }).then('already_exists');
    });
  });

  describe('UpdateTenant', () => {
    it('records only the fields that change', () => {
      const { state } = given([created])
        .when({ type: 'UpdateTenant', data: { retention_days: 90 } })
        .then([{ type: 'tenant.updated.v1', data: { tenant_id, retention_days: 90 } }]);
      expect(state).toMatchObject({ name: 'Acme', retentionDays: 90, metadata: { plan: 'pro' }, version: 2 });
    });

    it('replaces metadata as a whole', () => {
      const { state } = given([created])
        .when({ type: 'UpdateTenant', data: { name: 'Acme Inc', metadata: { region: 'eu' } } })
        .then([{ type: 'tenant.updated.v1', data: { tenant_id, name: 'Acme Inc', metadata: { region: 'eu' } } }]);
      expect(state).toMatchObject({ name: 'Acme Inc', metadata: { region: 'eu' } });
    });

    it('is a no-op when nothing is given', () => {
      given([created]).when({ type: 'UpdateTenant', data: {} }).then([]);
    });

    it.each<[string, TenantEvent[]]>([
      ['never created', []],
      ['deleted', [created, deleted]],
    ])('refuses a tenant that was %s', (_, history) => {
      given(history).when({ type: 'UpdateTenant', data: { name: 'x' } }).then('not_found');
    });
  });

  describe('DeleteTenant', () => {
    it('deletes an active tenant', () => {
      const { state } = given([created]).when({ type: 'DeleteTenant', data: {} }).then([deleted]);
      expect(state).toMatchObject({ status: 'deleted', version: 2 });
    });

    it.each<[string, TenantEvent[]]>([
      ['never created', []],
      ['already deleted', [created, deleted]],
    ])('refuses a tenant that was %s', (_, history) => {
      given(history).when({ type: 'DeleteTenant', data: {} }).then('not_found');
    });
  });

  describe('optimistic concurrency', () => {
    const { state } = given([created, { type: 'tenant.updated.v1', data: { tenant_id, name: 'Acme Inc' } }]);

    it('counts one version per event', () => {
      expect(state.version).toBe(2);
    });

    it('accepts the current version or no expectation', () => {
      expect(checkExpectedVersion(state, 2)).toBeNull();
      expect(checkExpectedVersion(state, undefined)).toBeNull();
    });

    it('refuses a stale version, naming both versions and the If-Match header', () => {
      expect(checkExpectedVersion(state, 1)).toEqual({
        code: 'version_conflict',
        message: 'expected version 1 but the resource is at version 2; re-read it and retry',
        field: 'If-Match',
      });
    });

    it('refuses a version from the future too', () => {
      expect(checkExpectedVersion(state, 3)).toMatchObject({ code: 'version_conflict' });
    });
  });
});
