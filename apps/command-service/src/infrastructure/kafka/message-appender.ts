import { Envelope, HEADER, LogPosition, encodeEvent, topicNames } from '@hookline/contracts';
import { BatchingProducer } from '@hookline/kafka';
import { Logger, withProducerSpan } from '@hookline/observability';
import { ProblemError } from '@hookline/service-kit';
import type { Context } from '@opentelemetry/api';

/**
 * Appends message-topic events straight to Kafka (messages have no aggregate invariant, so they skip the outbox); given
 * `operational`, the command service's own operational events (an HTTP source's refused requests) the same way.
 * The batching producer folds concurrent requests into one send per partition; each caller still waits for its
 * own acknowledgement, so a 2xx always means the event is in the log.
 */
export class MessageAppender {
  private readonly topic: string;

  constructor(
    private readonly producer: BatchingProducer,
    topicPrefix: string,
    private readonly log?: Logger,
    topicKey: 'messages' | 'operational' = 'messages',
  ) {
    this.topic = topicNames(topicPrefix)[topicKey];
  }

  /**
   * One PRODUCER span per event, a child of `trace` (the request's, see RequestContext.trace); its context goes in the
   * record's headers, so the dispatcher's and the projector's work on this event continue the request's trace.
   *
   * Kafka refusing the event (the producer gave up, or the broker will not take the record) is `503 unavailable`
   * for every command that appends here: the client may retry, and under its Idempotency-Key the retry appends under
   * the same id. An error of ours would be a 500, which tells a client nothing about retrying.
   */
  append(event: Envelope, key: string, trace: Context): Promise<LogPosition> {
    return this.produce(event, key, trace).catch((err: Error) => {
      throw new ProblemError('unavailable', `the event could not be appended to the log: ${err.message}`, [], {}, { 'retry-after': '1' });
    });
  }

  private produce(event: Envelope, key: string, trace: Context): Promise<LogPosition> {
    const attrs = { topic: this.topic, key, messageId: event.id };
    return withProducerSpan(`send ${this.topic}`, attrs, async (traceHeaders) => {
      // Assigned, not spread: on Node 20 an object built by spread outlives the young-generation collection it
      // should die in, and this runs for every message.
      const headers: Record<string, string> = Object.assign(traceHeaders, {
        [HEADER.eventType]: event.type,
        [HEADER.eventId]: event.id,
        [HEADER.tenantId]: event.tenant_id,
        [HEADER.contentType]: 'application/json',
      });
      const r = await this.producer.append({ topic: this.topic, key, value: encodeEvent(event), headers });
      if (this.log?.isLevelEnabled('debug')) {
        this.log.debug({ tenant_id: event.tenant_id, event_id: event.id, event_type: event.type, message_id: messageIdOf(event),
          partition: r.partition, offset: r.offset }, 'event appended');
      }
      return { topic: r.topic, partition: r.partition, offset: r.offset };
    }, trace);
  }
}

function messageIdOf(event: Envelope): string | undefined {
  const data = event.data as { message_id?: unknown } | null;
  return typeof data?.message_id === 'string' ? data.message_id : undefined;
}
