import { EntityManager } from 'typeorm';
import { MessagePublishedV1 } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';

export type Published = ProjectedRecord & { event: { type: MessagePublishedV1['type']; data: MessagePublishedV1['data'] } };

/** Messages never change once published, so a second copy of the event is simply ignored. */
export async function writeMessages(em: EntityManager, records: Published[]): Promise<void> {
  const rows = records.map(({ event, traceId, topic, partition, offset }) => [
    event.data.message_id, event.tenant_id, event.data.event_type, event.data.event_type_version, event.data.payload,
    event.data.channels ?? [], event.data.idempotency_key, event.data.ordering_key, event.occurred_at, traceId, topic, partition, offset,
    event.data.endpoint_ids ?? null,
  ]);
  await insertRows(em,
    `messages (message_id text, tenant_id text, event_type text, event_type_version int, payload jsonb, channels text[],
      idempotency_key text, ordering_key text, created_at timestamptz, trace_id text, kafka_topic text, kafka_partition int,
      kafka_offset bigint, endpoint_ids text[])`,
    rows, 'ON CONFLICT (message_id) DO NOTHING');
}
