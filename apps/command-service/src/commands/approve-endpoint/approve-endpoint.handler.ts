import { Inject, Injectable } from '@nestjs/common';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { ApproveEndpointRequest } from './approve-endpoint.request.dto';

/**
 * Approves an endpoint whose subscriptions need approval: it starts receiving. An endpoint of every event type is
 * approved for each of the tenant's types needing approval as of now but declined ones; approving it again later covers
 * types that came to need approval since (until then it receives every other type, but not those). Naming
 * `event_types` approves only those, declined ones included.
 */
@Injectable()
export class ApproveEndpointHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: ApproveEndpointRequest = {}): Promise<EndpointWriteResult> {
    // A type made to need approval after this read is not covered: it waits for the next approval, never slips through.
    const gatedTypes = await this.catalog.typesNeedingApproval(requireTenant(ctx.auth, tenantParam));
    const named = input.event_types ? { eventTypes: input.event_types } : {};
    return this.runner.run(ctx, tenantParam, endpointId, { type: 'ApproveEndpoint', gatedTypes, ...named });
  }
}
