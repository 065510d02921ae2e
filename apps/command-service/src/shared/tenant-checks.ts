import { ProblemError } from '@hookline/service-kit';
import { ConfigCatalog } from '../infrastructure/aggregates/config-catalog';

/** Resources can only be added to a tenant that exists (and isn't deleted): otherwise 404 on the tenant. */
export async function requireActiveTenant(catalog: ConfigCatalog, tenantId: string): Promise<void> {
  const tenant = await catalog.tenant(tenantId);
  if (tenant.status !== 'active') throw new ProblemError('not_found', 'tenant not found');
}
