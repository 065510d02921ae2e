import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { EndpointCommandRunner, EndpointWriteResult } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { RotateEndpointSecretRequest } from './rotate-endpoint-secret.request.dto';

export interface RotationConfig {
  SECRET_ROTATION_GRACE_HOURS: number;
}

/**
 * Rotates an endpoint's signing secret. The previous secrets keep signing for the grace period (default 24 h, or the
 * request's own, 0 after a leak), so webhooks carry both signatures and the receiver can switch without dropping any.
 * The new secret may be brought (whsec_), or of the other scheme (moving an endpoint from HMAC to ed25519).
 */
@Injectable()
export class RotateEndpointSecretHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
    @Inject(COMMAND_CONFIG) private readonly config: RotationConfig,
  ) {}

  async execute(
    ctx: RequestContext, tenantParam: string, endpointId: string, input: RotateEndpointSecretRequest = {},
  ): Promise<EndpointWriteResult & { secret: string; public_key: string | null; previous_secrets_expire_at: string }> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('endpoint', endpointId)) throw new ProblemError('not_found', 'endpoint not found');
    if (input.secret !== undefined && input.signing === 'ed25519') {
      throw new ProblemError('validation', 'only whsec_ (hmac) secrets can be brought; leave out signing or set it to hmac',
        [{ pointer: '/secret', detail: 'an ed25519 key pair is always generated' }]);
    }
    const current = await this.runner.load(tenantId, endpointId);
    const kind = input.signing ?? current.secrets[current.secrets.length - 1]?.kind ?? 'hmac';
    const now = new Date();
    const secret = this.secrets.create(kind, now, input.secret);
    const graceMs = input.previous_secrets_expire_in_seconds !== undefined
      ? input.previous_secrets_expire_in_seconds * 1000
      : this.config.SECRET_ROTATION_GRACE_HOURS * 3600_000;
    return this.runner.run(ctx, tenantId, endpointId, { type: 'RotateEndpointSecret', data: { secret: secret.sealed, now, graceMs } }, {
      secret: secret.plaintext,
      public_key: secret.publicKey,
      previous_secrets_expire_at: new Date(now.getTime() + graceMs).toISOString(),
    });
  }
}
