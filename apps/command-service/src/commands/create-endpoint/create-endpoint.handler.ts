import { Inject, Injectable } from '@nestjs/common';
import { EndpointSettingsV1, newId } from '@hookline/contracts';
import { DEFAULT_ENDPOINT_SETTINGS } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { ENDPOINT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { authUrlProblems, sealedEndpointAuth } from '../../shared/endpoint-auth';
import { UrlPolicy, checkEventTypes, checkUrl, settingsFrom, settingsProblems } from '../../shared/endpoint-checks';
import { clientCertificateUrlProblems, sealedClientCertificate } from '../../shared/endpoint-client-certificate';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { URL_POLICY } from '../../shared/tokens';
import { CreateEndpointRequest } from './create-endpoint.request.dto';

export interface CreatedEndpoint extends WriteResult {
  id: string;
  status: string;
  url: string;
  /** The signing secret (whsec_… or whsk_…), shown once. */
  secret: string;
  public_key: string | null;
}


/** Adds an endpoint: a customer URL that receives the tenant's messages, signed with its own secret. */
@Injectable()
export class CreateEndpointHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
    @Inject(URL_POLICY) private readonly urlPolicy: UrlPolicy,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, input: CreateEndpointRequest): Promise<CreatedEndpoint> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    const url = checkUrl(input.url, this.urlPolicy);
    const problems = [
      ...settingsProblems(input, this.urlPolicy), ...clientCertificateUrlProblems(url, Boolean(input.client_certificate)), ...authUrlProblems(url, input.auth, this.urlPolicy),
    ];
    if (problems.length) throw new ProblemError('validation', 'the endpoint settings have invalid fields', problems);
    const needsApproval = await checkEventTypes(this.catalog, tenantId, input.event_types);

    const endpointId = newId('endpoint');
    const secret = this.secrets.create(input.signing ?? 'hmac', new Date(), input.secret);
    const settings: EndpointSettingsV1 = { ...DEFAULT_ENDPOINT_SETTINGS, ...settingsFrom(input), url };
    // Only endpoints with credentials carry the fields, so the others' events still match copies of the schema from before them.
    if (input.auth) settings.auth = sealedEndpointAuth(input.auth, this.urlPolicy, (plain) => this.secrets.seal(plain));
    if (input.client_certificate) settings.client_certificate = sealedClientCertificate(input.client_certificate, new Date(), (plain) => this.secrets.seal(plain));
    return this.store.respond(
      ENDPOINT,
      { tenantId, aggregateId: endpointId },
      { type: 'CreateEndpoint', needsApproval, data: { endpoint_id: endpointId, settings, secret: secret.sealed, disabled: input.disabled ?? false } },
      commandMeta(ctx),
      (result) => ({ id: endpointId, status: result.state.deliveryStatus, url, secret: secret.plaintext, public_key: secret.publicKey }),
    );
  }
}
