import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireAdmin } from '../../auth/auth-context';
import { Authenticator } from '../../auth/authenticator';
import { TENANT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from '../../shared/request-context';

/** Deletes a tenant (admin only); its keys stop working (at once here, within the key cache TTL elsewhere) and its endpoints stop receiving. */
@Injectable()
export class DeleteTenantHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  async execute(ctx: RequestContext, tenantId: string): Promise<WriteResult & { id: string }> {
    requireAdmin(ctx.auth);
    if (!isId('tenant', tenantId)) throw new ProblemError('not_found', 'tenant not found');
    const answer = await this.store.respond(TENANT, { tenantId, aggregateId: tenantId }, { type: 'DeleteTenant', data: {} }, commandMeta(ctx), () => ({ id: tenantId }));
    this.authenticator.forgetTenant(tenantId);
    return answer;
  }
}
