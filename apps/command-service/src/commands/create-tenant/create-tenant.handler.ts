import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@hookline/contracts';
import { AuthContext, requireAdmin } from '../../auth/auth-context';
import { TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { validateMetadata } from '../../shared/field-checks';
import { CreateTenantRequest } from './create-tenant.request.dto';

export const DEFAULT_RETENTION_DAYS = 30;

/** Creates a tenant (admin only): the space that owns event types, endpoints and messages. */
@Injectable()
export class CreateTenantHandler {
  constructor(@Inject(AggregateStore) private readonly store: AggregateStore) {}

  async execute(ctx: RequestContext & { auth: AuthContext }, input: CreateTenantRequest): Promise<WriteResult & { id: string }> {
    requireAdmin(ctx.auth);
    validateMetadata(input.metadata, '/metadata');
    const tenantId = newId('tenant');
    return this.store.respond(
      TENANT,
      { tenantId, aggregateId: tenantId },
      {
        type: 'CreateTenant',
        data: { tenant_id: tenantId, name: input.name, retention_days: input.retention_days ?? DEFAULT_RETENTION_DAYS, metadata: input.metadata ?? {} },
      },
      commandMeta(ctx),
      () => ({ id: tenantId }),
    );
  }
}
