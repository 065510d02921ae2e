import { EventDecodeError, EventOf, HooklineEvent, decodeEvent } from '@hookline/contracts';

/** A consumed Kafka record as the projector needs it (kafkajs' KafkaMessage has this shape). */
export interface RawRecord {
  offset: string;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
}

/** A decoded event with where it came from and the trace it belongs to. */
export interface ProjectedRecord {
  topic: string;
  partition: number;
  offset: string;
  event: EventOf<HooklineEvent>;
  traceId: string | null;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

function header(raw: RawRecord, name: string): string | undefined {
  const value = raw.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The W3C trace id the producer put on the record (`traceparent` header), if any. */
export function traceIdOf(raw: RawRecord): string | null {
  const m = TRACEPARENT.exec(header(raw, 'traceparent') ?? '');
  return m && !/^0+$/.test(m[1]) ? m[1] : null;
}

export type DecodeResult = { ok: true; record: ProjectedRecord } | { ok: false; offset: string; reason: string };

/**
 * Decodes one record. A record that is not a Hookline event is reported, not thrown: one poison record must not stop
 * the projection of a partition forever (its offset is still stored, so it is skipped exactly once).
 */
export function decodeRecord(topic: string, partition: number, raw: RawRecord): DecodeResult {
  try {
    return { ok: true, record: { topic, partition, offset: raw.offset, event: decodeEvent(raw.value), traceId: traceIdOf(raw) } };
  } catch (err) {
    if (err instanceof EventDecodeError) return { ok: false, offset: raw.offset, reason: err.message };
    throw err;
  }
}
