import { TenantEvent, TenantId } from '@hookline/contracts';
import { Decision, accept, assertNever, refuse } from '../shared/decision';

export interface TenantState {
  status: 'absent' | 'active' | 'deleted';
  tenantId: TenantId | null;
  name: string;
  retentionDays: number;
  metadata: Record<string, string>;
  version: number;
}

export type TenantCommand =
  | { type: 'CreateTenant'; data: { tenant_id: TenantId; name: string; retention_days: number; metadata: Record<string, string> } }
  | { type: 'UpdateTenant'; data: { name?: string; retention_days?: number; metadata?: Record<string, string> } }
  | { type: 'DeleteTenant'; data: Record<string, never> };

/** A tenant that has never existed. */
export const initialTenantState = (): TenantState => ({
  status: 'absent',
  tenantId: null,
  name: '',
  retentionDays: 0,
  metadata: {},
  version: 0,
});

/** Tenant rules: created once, updated or deleted only while active. */
export function decideTenant(command: TenantCommand, state: TenantState): Decision<TenantEvent> {
  switch (command.type) {
    case 'CreateTenant':
      if (state.status !== 'absent') return refuse('already_exists', `tenant ${command.data.tenant_id} already exists`, { field: '/id' });
      return accept({ type: 'tenant.created.v1', data: { ...command.data } });
    case 'UpdateTenant': {
      if (state.status !== 'active') return refuse('not_found', 'tenant not found');
      const changes = command.data;
      if (changes.name === undefined && changes.retention_days === undefined && changes.metadata === undefined) return accept();
      return accept({ type: 'tenant.updated.v1', data: { tenant_id: state.tenantId!, ...changes } });
    }
    case 'DeleteTenant':
      if (state.status !== 'active') return refuse('not_found', 'tenant not found');
      return accept({ type: 'tenant.deleted.v1', data: { tenant_id: state.tenantId! } });
    default:
      return assertNever(command);
  }
}

/** Applies one tenant event. */
export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  const version = state.version + 1;
  switch (event.type) {
    case 'tenant.created.v1':
      return {
        status: 'active',
        tenantId: event.data.tenant_id,
        name: event.data.name,
        retentionDays: event.data.retention_days,
        metadata: event.data.metadata,
        version,
      };
    case 'tenant.updated.v1':
      return {
        ...state,
        name: event.data.name ?? state.name,
        retentionDays: event.data.retention_days ?? state.retentionDays,
        metadata: event.data.metadata ?? state.metadata,
        version,
      };
    case 'tenant.deleted.v1':
      return { ...state, status: 'deleted', version };
    default:
      return assertNever(event);
  }
}
