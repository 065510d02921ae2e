import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@hookline/contracts';
import { EndpointCommand } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../auth/auth-context';
import { ENDPOINT } from '../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../infrastructure/aggregates/aggregate-store';
import { RequestContext, commandMeta } from './request-context';

export interface EndpointWriteResult extends WriteResult {
  id: string;
  status: string;
}

/** Runs one command against one endpoint of the caller's tenant (unknown or foreign ids answer 404). */
@Injectable()
export class EndpointCommandRunner {
  constructor(@Inject(AggregateStore) private readonly store: AggregateStore) {}

  /** `more` are answer fields of the command's own (a rotated secret), kept with the answer for an Idempotency-Key's replay. */
  async run<M extends object = object>(ctx: RequestContext, tenantParam: string, endpointId: string, command: EndpointCommand, more?: M): Promise<EndpointWriteResult & M> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('endpoint', endpointId)) throw new ProblemError('not_found', 'endpoint not found');
    return this.store.respond(ENDPOINT, { tenantId, aggregateId: endpointId }, command, commandMeta(ctx), (result) => ({
      id: endpointId,
      status: result.state.status === 'deleted' ? 'deleted' : result.state.deliveryStatus,
      ...(more as M),
    }));
  }

  load(tenantId: string, endpointId: string) {
    return this.store.load(ENDPOINT, { tenantId, aggregateId: endpointId });
  }

  /** The tenant's endpoints that exist (not deleted), in id order. */
  async ofTenant(tenantId: string) {
    return (await this.store.ofTenant(ENDPOINT, tenantId)).filter((e) => e.status === 'active');
  }
}
