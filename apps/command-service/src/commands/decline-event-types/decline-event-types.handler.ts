import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { DeclineEventTypesRequest } from './decline-event-types.request.dto';

/**
 * Declines types an endpoint of every event type awaits approval for: it goes on not receiving them, and no longer
 * awaits them (nor does a later approval approve them, unless it names them).
 */
@Injectable()
export class DeclineEventTypesHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: DeclineEventTypesRequest): Promise<EndpointWriteResult> {
    const gatedTypes = await this.catalog.typesNeedingApproval(requireTenant(ctx.auth, tenantParam));
    return this.runner.run(ctx, tenantParam, endpointId, {
      type: 'DeclineEventTypes', data: { event_types: input.event_types, reason: input.reason ?? '' }, gatedTypes,
    });
  }
}
