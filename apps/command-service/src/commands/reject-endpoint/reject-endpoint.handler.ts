import { Inject, Injectable } from '@nestjs/common';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { RejectEndpointRequest } from './reject-endpoint.request.dto';

/** Rejects an endpoint waiting for approval; it stays disabled. */
@Injectable()
export class RejectEndpointHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  execute(ctx: RequestContext, tenantId: string, endpointId: string, input: RejectEndpointRequest): Promise<EndpointWriteResult> {
    return this.runner.run(ctx, tenantId, endpointId, { type: 'RejectEndpoint', data: { reason: input.reason ?? '' } });
  }
}
