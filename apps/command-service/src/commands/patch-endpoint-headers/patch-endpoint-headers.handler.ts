import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { authHeaderProblems, isOAuth2 } from '../../shared/endpoint-auth';
import { headerProblems } from '../../shared/endpoint-checks';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { PatchEndpointHeadersRequest } from './patch-endpoint-headers.request.dto';

/**
 * Sets and removes some of an endpoint's custom headers, keeping the rest. Reads show credential-like header values
 * masked, so a caller (the portal among them) could otherwise change one header only by sending every other's value.
 */
@Injectable()
export class PatchEndpointHeadersHandler {
  constructor(@Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: PatchEndpointHeadersRequest): Promise<EndpointWriteResult> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const problems = headerProblems(input.headers);
    if (problems.length) throw new ProblemError('validation', 'the headers have invalid fields', problems);
    const current = await this.runner.load(tenantId, endpointId);
    const added = Object.fromEntries(Object.entries(input.headers).filter(([, value]) => value !== null)) as Record<string, string>;
    const conflicts = authHeaderProblems(added, isOAuth2(current.settings.auth));
    if (conflicts.length) throw new ProblemError('validation', 'the headers have invalid fields', conflicts);
    return this.runner.run(ctx, tenantId, endpointId, { type: 'PatchEndpointHeaders', data: { headers: input.headers } });
  }
}
