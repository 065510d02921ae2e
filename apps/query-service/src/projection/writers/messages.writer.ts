import { EntityManager } from 'typeorm';
import { MessageContentExpungedV1, MessagePublishedV1 } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';

export type Published = ProjectedRecord & { event: { type: MessagePublishedV1['type']; data: MessagePublishedV1['data'] } };
export type Expunged = ProjectedRecord & { event: { type: MessageContentExpungedV1['type']; data: MessageContentExpungedV1['data'] } };

/** Messages never change once published, so a second copy of the event is simply ignored. */
export async function writeMessages(em: EntityManager, records: Published[]): Promise<void> {
  const rows = records.map(({ event, traceId, topic, partition, offset }) => [
    event.data.message_id, event.tenant_id, event.data.event_type, event.data.event_type_version, event.data.payload,
    event.data.channels ?? [], event.data.idempotency_key, event.data.ordering_key, event.occurred_at, traceId, topic, partition, offset,
    event.data.endpoint_ids ?? null, event.data.tags ?? [],
  ]);
  await insertRows(em,
    `messages (message_id text, tenant_id text, event_type text, event_type_version int, payload jsonb, channels text[],
      idempotency_key text, ordering_key text, created_at timestamptz, trace_id text, kafka_topic text, kafka_partition int,
      kafka_offset bigint, endpoint_ids text[], tags text[])`,
    rows, 'ON CONFLICT (message_id) DO NOTHING');
}

/**
 * message.content_expunged.v1: the message's payload goes, from the message and from its dead letters; the message
 * row (id, type, deliveries) stays. Read after the message (same key), so the payload never comes back; applying it
 * again changes nothing. Rare (a command each), so one statement apiece.
 */
export async function writeExpunges(em: EntityManager, records: Expunged[]): Promise<void> {
  for (const { event } of records) {
    await em.query(
      `UPDATE messages SET payload = NULL, payload_purged_at = COALESCE(payload_purged_at, $3), payload_expunged_at = $3
        WHERE tenant_id = $1 AND message_id = $2 AND payload_expunged_at IS NULL`,
      [event.tenant_id, event.data.message_id, event.occurred_at]);
    await em.query('UPDATE dead_letters SET payload = NULL WHERE tenant_id = $1 AND message_id = $2 AND payload IS NOT NULL',
      [event.tenant_id, event.data.message_id]);
  }
}
