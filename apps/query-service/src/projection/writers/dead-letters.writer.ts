import { EntityManager } from 'typeorm';
import { DeliveryDeadLetteredV1 } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';

export type DeadLettered = ProjectedRecord & { event: { type: DeliveryDeadLetteredV1['type']; data: DeliveryDeadLetteredV1['data'] } };

/**
 * One dead letter per delivery. The same event may be read from the deliveries and the dead-letters topic; a delivery
 * dead-lettered again after a resend keeps the latest record.
 */
export async function writeDeadLetters(em: EntityManager, records: DeadLettered[]): Promise<void> {
  const latest = new Map<string, DeadLettered>();
  for (const r of records) {
    const seen = latest.get(r.event.data.delivery_id);
    if (!seen || Date.parse(r.event.occurred_at) > Date.parse(seen.event.occurred_at)) latest.set(r.event.data.delivery_id, r);
  }
  const rows = [...latest.values()].map(({ event }) => {
    const d = event.data;
    return [d.delivery_id, event.tenant_id, d.message_id, d.endpoint_id, d.event_type, d.attempts, d.last_error, d.payload,
      d.channels ?? [], d.message_published_at, event.occurred_at, d.cause ?? null];
  });
  await insertRows(em,
    `dead_letters AS x (delivery_id text, tenant_id text, message_id text, endpoint_id text, event_type text, attempts int,
      last_error text, payload jsonb, channels text[], message_published_at timestamptz, created_at timestamptz, cause text)`,
    rows, `ON CONFLICT (delivery_id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
      payload = EXCLUDED.payload, channels = EXCLUDED.channels, created_at = EXCLUDED.created_at, cause = EXCLUDED.cause
      WHERE EXCLUDED.created_at > x.created_at`);
  // A dead letter read after its message's content was expunged (the deliveries topic is projected apart) keeps none.
  await em.query(
    `UPDATE dead_letters d SET payload = NULL FROM messages m
      WHERE d.delivery_id = ANY($1::text[]) AND d.payload IS NOT NULL AND m.message_id = d.message_id AND m.tenant_id = d.tenant_id
        AND m.payload_expunged_at IS NOT NULL`, [[...latest.keys()]]);
}
