import { Inject, Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { authHeaderProblems, authUrlProblems, isOAuth2, sealedEndpointAuth } from '../../shared/endpoint-auth';
import { UrlPolicy, checkEventTypes, checkUrl, settingsFrom, settingsProblems } from '../../shared/endpoint-checks';
import { clientCertificateUrlProblems, sealedClientCertificate } from '../../shared/endpoint-client-certificate';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { URL_POLICY } from '../../shared/tokens';
import { UpdateEndpointRequest } from './update-endpoint.request.dto';

/** Changes an endpoint's settings (If-Match guards against lost updates). */
@Injectable()
export class UpdateEndpointHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(URL_POLICY) private readonly urlPolicy: UrlPolicy,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: UpdateEndpointRequest): Promise<EndpointWriteResult> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const url = input.url !== undefined ? checkUrl(input.url, this.urlPolicy) : undefined;
    const problems = settingsProblems(input, this.urlPolicy);
    if (problems.length) throw new ProblemError('validation', 'the endpoint settings have invalid fields', problems);
    const current = await this.runner.load(tenantId, endpointId);
    // Settings that must agree with each other, as they will be after this change when only one side is in it.
    const auth = input.auth !== undefined ? input.auth : current.settings.auth;
    const certificate = input.client_certificate !== undefined ? input.client_certificate : current.settings.client_certificate;
    const conflicts = [
      ...authHeaderProblems(input.headers ?? current.settings.headers, isOAuth2(auth)),
      ...clientCertificateUrlProblems(url ?? current.settings.url, Boolean(certificate)),
      ...authUrlProblems(url ?? current.settings.url, auth, this.urlPolicy),
    ];
    if (conflicts.length) throw new ProblemError('validation', 'the endpoint settings have invalid fields', conflicts);
    const needsApproval = await checkEventTypes(this.catalog, tenantId, input.event_types, current.settings.event_types);
    const seal = (plain: string) => this.secrets.seal(plain);
    const credentials = {
      ...(input.auth === undefined ? {} : { auth: input.auth && sealedEndpointAuth(input.auth, this.urlPolicy, seal) }),
      ...(input.client_certificate === undefined ? {} : { client_certificate: input.client_certificate && sealedClientCertificate(input.client_certificate, new Date(), seal) }),
    };
    // Coming to every type, the endpoint is approved for the types needing approval it received by name (see the decider).
    const gatedTypes = input.event_types === null ? await this.catalog.typesNeedingApproval(tenantId) : undefined;
    return this.runner.run(ctx, tenantId, endpointId, {
      type: 'UpdateEndpoint', needsApproval, gatedTypes, data: { ...settingsFrom(input), ...(url ? { url } : {}), ...credentials },
    });
  }
}
