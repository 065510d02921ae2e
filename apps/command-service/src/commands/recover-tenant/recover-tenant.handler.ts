import { Inject, Injectable } from '@nestjs/common';
import { encodePosition, furthestPositions, newId } from '@hookline/contracts';
import { requireTenant } from '../../auth/auth-context';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { EndpointCommandRunner } from '../../shared/endpoint-command-runner';
import { recoveryRequest } from '../../shared/redelivery-requests';
import { RequestContext } from '../../shared/request-context';
import { timeWindow } from '../../shared/time-window';
import { RecoverEndpointRequest } from '../recover-endpoint/recover-endpoint.request.dto';

/**
 * Recover for every enabled endpoint of a tenant at once (Convoy's batch retry over a project): after an outage on the
 * customer's side, every failed or dead-lettered delivery of messages published in the window starts a new series.
 * It appends one endpoint.recovery_requested.v1 per endpoint, which the dispatcher carries out as a recover of that
 * endpoint; a disabled endpoint is left out (its deliveries would be dead-lettered again at once).
 */
@Injectable()
export class RecoverTenantHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly endpoints: EndpointCommandRunner,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, input: RecoverEndpointRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    const { since, until } = timeWindow(input, 'recover');
    const request = ctx.idempotency && { ...ctx.idempotency, scope: tenantId, asked: { recoverTenant: tenantId, ...input } };
    return this.idempotency.once(request, newId('event'), async () => {
      const enabled = (await this.endpoints.ofTenant(tenantId)).filter((e) => e.deliveryStatus === 'enabled' && e.endpointId !== null);
      const positions = await Promise.all(enabled.map((e) => this.appender.append(recoveryRequest(ctx, tenantId, e.endpointId!, since, until), tenantId, ctx.trace)));
      return {
        endpoints: enabled.length, since: since.toISOString(), until: until.toISOString(),
        position: positions.length ? encodePosition(furthestPositions(positions)) : null,
      };
    });
  }
}
