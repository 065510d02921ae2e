import { Inject, Injectable } from '@nestjs/common';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';

/** Approves an endpoint whose subscriptions need approval; it starts receiving. */
@Injectable()
export class ApproveEndpointHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  execute(ctx: RequestContext, tenantId: string, endpointId: string): Promise<EndpointWriteResult> {
    return this.runner.run(ctx, tenantId, endpointId, { type: 'ApproveEndpoint' });
  }
}
