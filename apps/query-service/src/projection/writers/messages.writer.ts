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
  ]);
  await insertRows(em,
    `messages (message_id, tenant_id, event_type, event_type_version, payload, channels, idempotency_key, ordering_key,
      created_at, trace_id, kafka_topic, kafka_partition, kafka_offset)`,
    rows, 'ON CONFLICT (message_id) DO NOTHING');
}
