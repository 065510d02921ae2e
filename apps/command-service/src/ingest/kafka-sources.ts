import type { EnvVar } from '@hookline/config';
import { EVENT_TYPE_WAYS, FIELD, SourceEventTypeSetting, parseSourceList, sourcesEnv } from './source-settings';

/**
 * A Kafka topic of the user's own whose records become messages of one tenant (Convoy's "sources"): services that
 * already emit events to Kafka get them delivered as webhooks without a second publish call.
 */
export interface KafkaSource {
  /** Names the source in metrics, logs, its consumer group and its records' idempotency keys. */
  name: string;
  topic: string;
  tenant_id: string;
  /** Where a record's event type is: a header, a top-level field of its JSON value, or one fixed type. */
  event_type: SourceEventTypeSetting;
  /** A top-level field of the value that holds the payload; absent: the whole value is the payload. */
  payload_field?: string;
  /** The record's Kafka key becomes the message's ordering key (FIFO endpoints keep the source's per-key order). */
  ordering_key_from_key: boolean;
  /** Brokers of the source cluster; absent: Hookline's own (KAFKA_BROKERS). */
  brokers?: string[];
  /** A new source starts at the topic's beginning instead of its end. */
  from_beginning: boolean;
  /**
   * A topic (on the source's cluster) that gets every rejected record, unchanged, with headers saying why and where it
   * came from, before the source moves past it; absent: rejected records are only logged and counted.
   */
  rejects_topic?: string;
}

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^[\w.-]+:\d{1,5}$/;
const KEYS = ['topic', 'event_type_header', 'event_type_field', 'event_type', 'payload_field', 'ordering_key_from_key', 'brokers', 'from_beginning', 'rejects_topic'];

/**
 * Reads KAFKA_SOURCES: a JSON array of sources, e.g.
 * `[{"name":"billing","topic":"billing.events","tenant_id":"tnt_…","event_type_header":"event-type"}]`. The event type
 * comes from exactly one of `event_type_header`, `event_type_field` or `event_type` (fixed). Throws an Error saying
 * what is wrong and where, so the service refuses to start on a source it would misread.
 */
export function parseKafkaSources(raw: string): KafkaSource[] {
  return parseSourceList(raw, KEYS, (s) => {
    const eventType = s.oneOf(EVENT_TYPE_WAYS, true);
    const brokers = s.value('brokers');
    if (brokers !== undefined && (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && BROKER.test(b)))) {
      s.refuse('brokers is a non-empty list of host:port');
    }
    const orderingKeyFromKey = s.flag('ordering_key_from_key');
    const fromBeginning = s.flag('from_beginning');
    return {
      name: s.name,
      topic: s.required('topic', TOPIC),
      tenant_id: s.tenant_id,
      event_type: eventType,
      payload_field: s.text('payload_field', FIELD),
      ordering_key_from_key: orderingKeyFromKey !== false,
      brokers: brokers as string[] | undefined,
      from_beginning: fromBeginning === true,
      rejects_topic: s.text('rejects_topic', TOPIC),
    };
  });
}

/** KAFKA_SOURCES as an environment variable of the command service (see parseKafkaSources). */
export function kafkaSourcesEnv(opts: { description: string }): EnvVar<KafkaSource[]> {
  return sourcesEnv(parseKafkaSources, {
    description: opts.description,
    expected: 'a JSON array of sources ({"name","topic","tenant_id", one of "event_type_header"/"event_type_field"/"event_type", …}); see the README',
  });
}
