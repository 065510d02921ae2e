import { Inject, Injectable } from '@nestjs/common';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';

/** Enables a disabled endpoint (also one the dispatcher disabled after 410 Gone or prolonged failure). */
@Injectable()
export class EnableEndpointHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  execute(ctx: RequestContext, tenantId: string, endpointId: string): Promise<EndpointWriteResult> {
    return this.runner.run(ctx, tenantId, endpointId, { type: 'EnableEndpoint' });
  }
}
