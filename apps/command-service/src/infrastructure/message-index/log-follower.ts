import { EndpointId, EventOf, HooklineEvent, decodeEvent, topicNames } from '@hookline/contracts';
import { runBatchConsumer } from '@hookline/kafka';
import { multiRowValues } from '@hookline/service-kit';
import { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';

export interface LogFollowerHooks {
  /** The dispatcher asked for an endpoint to be disabled (410 Gone or prolonged failure). */
  onEndpointAutoDisabled(tenantId: string, endpointId: EndpointId, reason: 'gone' | 'failing', detail: string, causationId: string): Promise<void>;
  onError(err: unknown): void;
}

/**
 * Follows the messages topic into the message index (for resend) and the operational topic for the dispatcher's
 * requests to disable endpoints, which become commands on the endpoint aggregate (the aggregate's single writer).
 */
export async function followLog(kafka: Kafka, ds: DataSource, topicPrefix: string, hooks: LogFollowerHooks) {
  const topics = topicNames(topicPrefix);
  return runBatchConsumer(kafka, {
    groupId: `${topicPrefix}hookline-command-service`,
    topics: [topics.messages, topics.operational],
    fromBeginning: true,
    handleBatch: async (batch) => {
      const events = batch.messages.map(safeDecode).filter((e): e is EventOf<HooklineEvent> => e !== null);
      if (batch.topic === topics.messages) await indexMessages(ds, events);
      else {
        for (const e of events) {
          if (e.type === 'endpoint.auto_disabled.v1') {
            await hooks.onEndpointAutoDisabled(e.tenant_id, e.data.endpoint_id, e.data.reason, e.data.detail, e.id);
          }
        }
      }
      return batch.messages[batch.messages.length - 1].offset;
    },
  });
}

function safeDecode(m: KafkaMessage): EventOf<HooklineEvent> | null {
  try {
    return decodeEvent(m.value);
  } catch {
    return null; // not ours to judge: the query service records undecodable events
  }
}

async function indexMessages(ds: DataSource, events: EventOf<HooklineEvent>[]): Promise<void> {
  const rows = events.flatMap((e) =>
    e.type === 'message.published.v1'
      ? [[e.tenant_id, e.data.message_id, e.data.event_type, e.data.event_type_version, JSON.stringify(e.data.payload), e.data.channels, e.occurred_at]]
      : [],
  );
  if (!rows.length) return;
  const { sql, params } = multiRowValues(rows, ['text', 'text', 'text', 'int', 'jsonb', 'text[]', 'timestamptz']);
  await ds.query(
    `INSERT INTO messages (tenant_id, message_id, event_type, event_type_version, payload, channels, published_at) VALUES ${sql} ON CONFLICT DO NOTHING`,
    params,
  );
}

