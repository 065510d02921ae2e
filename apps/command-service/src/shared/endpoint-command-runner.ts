import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@hookline/contracts';
import { EndpointCommand } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../auth/auth-context';
import { ENDPOINT } from '../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from './request-context';
import { WriteResult, writeResult } from './write-result';

export interface EndpointWriteResult extends WriteResult {
  id: string;
  status: string;
}

/** Runs one command against one endpoint of the caller's tenant (unknown or foreign ids answer 404). */
@Injectable()
export class EndpointCommandRunner {
  constructor(@Inject(AggregateStore) private readonly store: AggregateStore) {}

  async run(ctx: RequestContext, tenantParam: string, endpointId: string, command: EndpointCommand): Promise<EndpointWriteResult> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('endpoint', endpointId)) throw new ProblemError('not_found', 'endpoint not found');
    const result = await this.store.execute(ENDPOINT, { tenantId, aggregateId: endpointId }, command, commandMeta(ctx));
    return { id: endpointId, status: result.state.status === 'deleted' ? 'deleted' : result.state.deliveryStatus, ...writeResult(result) };
  }

  load(tenantId: string, endpointId: string) {
    return this.store.load(ENDPOINT, { tenantId, aggregateId: endpointId });
  }
}
