import { Inject, Injectable } from '@nestjs/common';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { DisableEndpointRequest } from './disable-endpoint.request.dto';

/** Disables an endpoint by hand; messages are not delivered to it until it is enabled. */
@Injectable()
export class DisableEndpointHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  execute(ctx: RequestContext, tenantId: string, endpointId: string, input: DisableEndpointRequest): Promise<EndpointWriteResult> {
    return this.runner.run(ctx, tenantId, endpointId, { type: 'DisableEndpoint', data: { reason: 'manual', detail: input.detail ?? '' } });
  }
}
