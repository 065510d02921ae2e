import type { KafkaSource } from './kafka-sources';

/** What a source record asks to publish, before the publish rules (event type exists, schema, size) judge it. */
export interface SourcePublish {
  event_type: string;
  payload: unknown;
  ordering_key?: string;
}

export type SourceRecordResult = { ok: true; publish: SourcePublish } | { ok: false; reason: 'not_json' | 'no_event_type' | 'no_payload'; detail: string };

export interface SourceRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
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

/**
 * Reads one record of a source: its value is JSON; its event type comes from the header, the field or the fixed
 * type the source names; its payload is the value or one field of it; its key may become the ordering key.
 */
export function readSourceRecord(source: KafkaSource, record: SourceRecord): SourceRecordResult {
  let value: unknown;
  try {
    value = JSON.parse(record.value?.toString('utf8') ?? '');
  } catch {
    return { ok: false, reason: 'not_json', detail: 'the record value is not JSON' };
  }
  const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  let eventType: unknown;
  if ('fixed' in source.event_type) eventType = source.event_type.fixed;
  else if ('header' in source.event_type) eventType = headerText(record.headers, source.event_type.header);
  else eventType = fields?.[source.event_type.field];
  if (typeof eventType !== 'string' || eventType === '') {
    const where = 'header' in source.event_type ? `header ${source.event_type.header}` : 'field' in source.event_type ? `field ${source.event_type.field}` : 'source';
    return { ok: false, reason: 'no_event_type', detail: `no event type in the ${where}` };
  }
  const payload = source.payload_field === undefined ? value : fields?.[source.payload_field];
  if (payload === undefined) return { ok: false, reason: 'no_payload', detail: `no field ${source.payload_field} in the record value` };
  const key = record.key?.toString('utf8');
  return { ok: true, publish: { event_type: eventType, payload, ...(source.ordering_key_from_key && key ? { ordering_key: key } : {}) } };
}
