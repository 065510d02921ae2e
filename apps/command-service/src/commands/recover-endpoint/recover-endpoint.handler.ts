import { Inject, Injectable } from '@nestjs/common';
import { EndpointId, EventId, encodePosition, isId, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { EndpointCommandRunner } from '../../shared/endpoint-command-runner';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { recoveryRequest } from '../../shared/redelivery-requests';
import { RequestContext } from '../../shared/request-context';
import { timeWindow } from '../../shared/time-window';
import { RecoverEndpointRequest } from './recover-endpoint.request.dto';

/**
 * Asks the dispatcher to retry every failed or dead-lettered delivery of an endpoint in a time window
 * (Svix's "recover", Convoy's batch retry), e.g. after the customer fixed their server.
 */
@Injectable()
export class RecoverEndpointHandler {
  constructor(
    @Inject(EndpointCommandRunner) private readonly runner: EndpointCommandRunner,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, endpointId: string, input: RecoverEndpointRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('endpoint', endpointId) || (await this.runner.load(tenantId, endpointId)).status !== 'active') {
      throw new ProblemError('not_found', 'endpoint not found');
    }
    const { since, until } = timeWindow(input, 'recover');
    // A retry names the window as the first request did (an open `until` is the first request's now).
    const request = ctx.idempotency && { ...ctx.idempotency, scope: tenantId, asked: { recover: endpointId, ...input } };
    return this.idempotency.once(request, newId('event'), async (eventId) => {
      const event = recoveryRequest(ctx, tenantId, endpointId as EndpointId, since, until);
      const position = await this.appender.append({ ...event, id: eventId as EventId }, tenantId, ctx.trace);
      return { endpoint_id: endpointId, since: since.toISOString(), until: until.toISOString(), position: encodePosition([position]) };
    });
  }
}
