import { type SourceReading, type SourceRecord } from '../source-record';
import { sourceIdempotencyKey } from '../source-idempotency-key';
import type { AmqpSource } from './amqp-sources';

/** What a source reads of a delivered AMQP message (amqplib's ConsumeMessage has these and more). */
export interface AmqpDelivery {
  content: Buffer;
  fields: { routingKey: string };
  properties: { messageId?: unknown; type?: unknown; headers?: Record<string, unknown> };
}

/** A delivered message as a source record, with what publishing it needs besides. */
export interface AmqpRecord {
  record: SourceRecord;
  /** Its ordering key: messages with one are published in order; null: none. */
  orderingKey: string | null;
  /** Its producer's id under the source (a redelivery is then the same message); absent: published at least once. */
  idempotencyKey?: string;
}

/** How an AMQP source reads its messages, in the terms readSourceRecord takes. */
export function amqpReading(source: AmqpSource): SourceReading {
  return { event_type: source.event_type, payload_field: source.payload_field, ordering_key_from_key: source.ordering_key !== undefined };
}

/**
 * Reads a delivered message: its body is the record's value; its headers become text (AMQP headers are typed: numbers
 * and booleans as written, byte arrays as UTF-8, tables and arrays left out); its `type` property and routing key are
 * there for a source that takes its event type from them; its ordering key and idempotency key come from where the
 * source says.
 */
export function readAmqpDelivery(source: AmqpSource, message: AmqpDelivery): AmqpRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.properties.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name.toLowerCase()] = text;
  }
  const routingKey = message.fields.routingKey;
  const type = typeof message.properties.type === 'string' ? message.properties.type : undefined;
  const ordering = source.ordering_key;
  const orderingKey = (ordering === undefined ? undefined : 'header' in ordering ? headers[ordering.header] : routingKey) || null;
  const producerId = 'header' in source.idempotency ? headers[source.idempotency.header]
    : typeof message.properties.messageId === 'string' ? message.properties.messageId : undefined;
  return {
    record: {
      key: orderingKey === null ? null : Buffer.from(orderingKey),
      value: message.content,
      headers,
      properties: { ...(type ? { type_property: type } : {}), ...(routingKey ? { routing_key: routingKey } : {}) },
    },
    orderingKey,
    ...(producerId ? { idempotencyKey: sourceIdempotencyKey(`amqp-source:${source.name}`, producerId) } : {}),
  };
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}
