import { EventOf, HooklineEvent, TenantId } from '@hookline/contracts';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { MessageAppender } from '../kafka/message-appender';
import { operationalMessage } from './operational-message';

/**
 * Appends the operator's message for each operational or endpoint event of a batch (see operationalMessage) and resolves once
 * Kafka has them all: a failure fails the batch, which the log follower then reads again (the same message ids).
 */
export async function forwardOperationalEvents(
  events: EventOf<HooklineEvent>[], operatorTenant: TenantId, appender: Pick<MessageAppender, 'append'>, now = Date.now(),
): Promise<void> {
  const messages = events.flatMap((e) => operationalMessage(e, operatorTenant, now) ?? []);
  // A trace of its own per message: the operational event's producer is the dispatcher, long gone from this context.
  await Promise.all(messages.map((m) => appender.append(m, operatorTenant, ROOT_CONTEXT)));
}
