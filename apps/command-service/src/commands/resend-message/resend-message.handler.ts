import { Inject, Injectable } from '@nestjs/common';
import { EndpointId, EventId, encodePosition, isId, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { MessageIndex } from '../../infrastructure/message-index/message-index';
import { EndpointCommandRunner } from '../../shared/endpoint-command-runner';
import { RequestContext } from '../../shared/request-context';
import { resendKey, resendRequest } from '../../shared/redelivery-requests';
import { ResendMessageRequest } from './resend-message.request.dto';

/** Sends one message to one endpoint again (a new attempt with the same webhook-id, so the receiver can dedupe). */
@Injectable()
export class ResendMessageHandler {
  constructor(
    @Inject(MessageIndex) private readonly messages: MessageIndex,
    @Inject(EndpointCommandRunner) private readonly endpoints: EndpointCommandRunner,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, messageId: string, input: ResendMessageRequest) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('message', messageId)) throw new ProblemError('not_found', 'message not found');
    const message = await this.messages.findRecent(tenantId, messageId);
    if (!message) throw new ProblemError('not_found', 'message not found (or past its retention)');
    if (message.content_expunged_at) {
      throw new ProblemError('precondition_failed', `the message's content was expunged at ${message.content_expunged_at}; it can no longer be resent`);
    }
    if (!isId('endpoint', input.endpoint_id) || (await this.endpoints.load(tenantId, input.endpoint_id)).status !== 'active') {
      throw new ProblemError('not_found', 'endpoint not found', [{ pointer: '/endpoint_id', detail: 'no such endpoint' }]);
    }
    const request = ctx.idempotency && { ...ctx.idempotency, scope: tenantId, asked: { resend: messageId, ...input } };
    return this.idempotency.once(request, newId('event'), async (eventId) => {
      const event = resendRequest(ctx, tenantId, input.endpoint_id as EndpointId, message);
      const position = await this.appender.append({ ...event, id: eventId as EventId }, resendKey(tenantId, message), ctx.trace);
      return { message_id: messageId, endpoint_id: input.endpoint_id, position: encodePosition([position]) };
    });
  }
}
