import { IncomingSpec, readIncoming } from './incoming-message';
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
  // A source's field is one name without dots: as a dot path, it is that top-level field.
  const spec: IncomingSpec = {
    event_type: 'fixed' in source.event_type ? { from: 'fixed', event_type: source.event_type.fixed }
      : 'header' in source.event_type ? { from: 'header', header: source.event_type.header } : { from: 'field', path: source.event_type.field },
    payload_field: source.payload_field ?? null,
  };
  const read = readIncoming(spec, value, (name) => headerText(record.headers, name), 'record value');
  if (!read.ok) return { ok: false, reason: read.reason, detail: read.detail };
  const key = record.key?.toString('utf8');
  return { ok: true, publish: { event_type: read.event_type, payload: read.payload, ...(source.ordering_key_from_key && key ? { ordering_key: key } : {}) } };
}
