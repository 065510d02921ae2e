import { Envelope, HEADER, LogPosition, encodeEvent, topicNames } from '@hookline/contracts';
import { BatchingProducer } from '@hookline/kafka';
import { injectTraceHeaders } from '@hookline/observability';

/**
 * Appends message-topic events straight to Kafka (messages have no aggregate invariant, so they skip the outbox).
 * The batching producer folds concurrent requests into one send per partition; each caller still waits for its
 * own acknowledgement, so a 2xx always means the event is in the log.
 */
export class MessageAppender {
  private readonly topic: string;

  constructor(
    private readonly producer: BatchingProducer,
    topicPrefix: string,
  ) {
    this.topic = topicNames(topicPrefix).messages;
  }

  async append(event: Envelope, key: string): Promise<LogPosition> {
    const headers = injectTraceHeaders({
      [HEADER.eventType]: event.type,
      [HEADER.eventId]: event.id,
      [HEADER.tenantId]: event.tenant_id,
      [HEADER.contentType]: 'application/json',
    });
    const r = await this.producer.append({ topic: this.topic, key, value: encodeEvent(event), headers });
    return { topic: r.topic, partition: r.partition, offset: r.offset };
  }
}
