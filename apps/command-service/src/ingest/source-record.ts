import { IncomingSpec, readIncoming } from './incoming-message';
import type { SourceEventTypeSetting } from './source-settings';

/** What a source record asks to publish, before the publish rules (event type exists, schema, size) judge it. */
export interface SourcePublish {
  event_type: string;
  payload: unknown;
  ordering_key?: string;
}

export type SourceRecordResult = { ok: true; publish: SourcePublish } | { ok: false; reason: 'not_json' | 'no_event_type' | 'no_payload'; detail: string };

/** A property of a message besides its headers that may carry its event type (AMQP's `type`, its routing key). */
export type RecordProperty = 'type_property' | 'routing_key';

/** How a source reads its records (a KafkaSource is one; an AMQP source makes one). */
export interface SourceReading {
  event_type: SourceEventTypeSetting | { property: RecordProperty };
  payload_field?: string;
  /** The record's key becomes the message's ordering key. */
  ordering_key_from_key: boolean;
}

export interface SourceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  properties?: Partial<Record<RecordProperty, string>>;
}

/** One header's first value as text (kafkajs gives Buffers; several values under one name keep the first). */
export function headerText(headers: SourceRecord['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, raw] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== wanted || raw === undefined) continue;
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value === undefined ? undefined : value.toString();
  }
  return undefined;
}

/** Every header of a record as text, under its lower-case name (how publishFromSource takes them). */
export function lowerCaseHeaders(headers: SourceRecord['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(headers ?? {}).map((name) => [name.toLowerCase(), headerText(headers, name)]));
}

/**
 * Reads one record of a source: its value is JSON; its event type comes from the header, the field, the property or
 * the fixed type the source names; its payload is the value or one field of it; its key may become the ordering key.
 */
export function readSourceRecord(source: SourceReading, record: SourceRecord): SourceRecordResult {
  let value: unknown;
  try {
    value = JSON.parse(record.value?.toString('utf8') ?? '');
  } catch {
    return { ok: false, reason: 'not_json', detail: 'the record value is not JSON' };
  }
  const from = source.event_type;
  let eventType: IncomingSpec['event_type'];
  if ('property' in from) {
    // A property is the message's own, like a fixed type: present or not, whatever the value holds.
    const given = record.properties?.[from.property];
    if (!given) return { ok: false, reason: 'no_event_type', detail: `no event type in the message's ${from.property === 'routing_key' ? 'routing key' : 'type property'}` };
    eventType = { from: 'fixed', event_type: given };
  } else {
    // A source's field is one name without dots: as a dot path, it is that top-level field.
    eventType = 'fixed' in from ? { from: 'fixed', event_type: from.fixed } : 'header' in from ? { from: 'header', header: from.header } : { from: 'field', path: from.field };
  }
  const spec: IncomingSpec = { event_type: eventType, payload_field: source.payload_field ?? null };
  const read = readIncoming(spec, value, (name) => headerText(record.headers, name), 'record value');
  if (!read.ok) return { ok: false, reason: read.reason, detail: read.detail };
  const key = record.key?.toString('utf8');
  return { ok: true, publish: { event_type: read.event_type, payload: read.payload, ...(source.ordering_key_from_key && key ? { ordering_key: key } : {}) } };
}
