import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { validateMetadata } from '../../shared/field-checks';
import { UpdateTenantRequest } from './update-tenant.request.dto';

/** Updates a tenant's name, retention or metadata (admin, or the tenant's own key). */
@Injectable()
export class UpdateTenantHandler {
  constructor(@Inject(AggregateStore) private readonly store: AggregateStore) {}

  async execute(ctx: RequestContext, tenantId: string, input: UpdateTenantRequest): Promise<WriteResult & { id: string }> {
    if (!isId('tenant', tenantId)) throw new ProblemError('not_found', 'tenant not found');
    requireTenant(ctx.auth, tenantId);
    validateMetadata(input.metadata, '/metadata');
    return this.store.respond(TENANT, { tenantId, aggregateId: tenantId }, { type: 'UpdateTenant', data: { ...input } }, commandMeta(ctx), () => ({ id: tenantId }));
  }
}
