import { Inject, Injectable } from '@nestjs/common';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';

/** Deletes an endpoint: nothing more is delivered to it. */
@Injectable()
export class DeleteEndpointHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  execute(ctx: RequestContext, tenantId: string, endpointId: string): Promise<EndpointWriteResult> {
    return this.runner.run(ctx, tenantId, endpointId, { type: 'DeleteEndpoint' });
  }
}
