import { Inject, Injectable } from '@nestjs/common';
import { EventId, MessageId, encodePosition, idTimestamp, isId, messageKey, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { IdempotencyStore } from '../../infrastructure/idempotency/idempotency-store';
import { MessageAppender } from '../../infrastructure/kafka/message-appender';
import { MESSAGE_INDEX_DAYS, MessageIndex } from '../../infrastructure/message-index/message-index';
import { RequestContext, requestEnvelope } from '../../shared/request-context';

/**
 * Erases a message's content (its payload), as when it was sent with data it should never have carried: the query
 * service, the message index and the dispatcher's retry store each drop it when they read message.content_expunged.v1,
 * and its deliveries still waiting are dropped, never sent. The message's id, type and delivery history stay. The event
 * goes under the message's own key, so every consumer reads it after the message. The Kafka log keeps the payload
 * until its retention deletes the segment (the log is append-only; see the README).
 *
 * A message older than the index keeps (MESSAGE_INDEX_DAYS) may still have its payload in the query service (kept
 * RETENTION_DAYS): its expunge is appended unchecked, under the tenant's key (it was read long ago). Every consumer
 * applies it within the tenant only, so an id of another tenant's message changes nothing there.
 */
@Injectable()
export class ExpungeMessageContentHandler {
  constructor(
    @Inject(MessageIndex) private readonly messages: MessageIndex,
    @Inject(MessageAppender) private readonly appender: MessageAppender,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, messageId: string) {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('message', messageId)) throw new ProblemError('not_found', 'message not found');
    const message = await this.messages.findRecent(tenantId, messageId);
    const pastIndex = idTimestamp(messageId) < Date.now() - MESSAGE_INDEX_DAYS * 86_400_000;
    if (!message && !pastIndex) throw new ProblemError('not_found', 'message not found');
    const request = ctx.idempotency && { ...ctx.idempotency, scope: tenantId, asked: { expunge: messageId } };
    return this.idempotency.once(request, newId('event'), async (eventId) => {
      const event = requestEnvelope(ctx, tenantId, { type: 'message.content_expunged.v1', data: { message_id: messageId as MessageId } });
      const position = await this.appender.append({ ...event, id: eventId as EventId }, messageKey(tenantId, message?.ordering_key), ctx.trace);
      return { message_id: messageId, position: encodePosition([position]) };
    });
  }
}
