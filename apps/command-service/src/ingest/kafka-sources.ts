import { ConfigError, type EnvVar } from '@hookline/config';
import { isId } from '@hookline/contracts';

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
  event_type: { header: string } | { field: string } | { fixed: string };
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

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const FIELD = /^[A-Za-z_][\w-]{0,127}$/;
const HEADER_NAME = /^[\w.-]{1,128}$/;
const BROKER = /^[\w.-]+:\d{1,5}$/;
const KEYS = new Set(['name', 'topic', 'tenant_id', 'event_type_header', 'event_type_field', 'event_type', 'payload_field', 'ordering_key_from_key', 'brokers', 'from_beginning', 'rejects_topic']);

/**
 * Reads KAFKA_SOURCES: a JSON array of sources, e.g.
 * `[{"name":"billing","topic":"billing.events","tenant_id":"tnt_…","event_type_header":"event-type"}]`. The event type
 * comes from exactly one of `event_type_header`, `event_type_field` or `event_type` (fixed). Throws an Error saying
 * what is wrong and where, so the service refuses to start on a source it would misread.
 */
export function parseKafkaSources(raw: string): KafkaSource[] {
  if (raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('not JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('not a JSON array of sources');
  const names = new Set<string>();
  return parsed.map((entry, i) => {
    const at = `source ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at} is not an object`);
    const s = entry as Record<string, unknown>;
    const unknown = Object.keys(s).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new Error(`${at} has unknown settings: ${unknown.join(', ')}`);
    const text = (key: string, pattern: RegExp, required: boolean): string | undefined => {
      const v = s[key];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || !pattern.test(v)) throw new Error(`${at}: ${key} ${v === undefined ? 'is required' : 'is not valid'}`);
      return v;
    };
    const name = text('name', NAME, true)!;
    if (names.has(name)) throw new Error(`${at}: name "${name}" is used twice`);
    names.add(name);
    const tenantId = text('tenant_id', /^tnt_/, true)!;
    if (!isId('tenant', tenantId)) throw new Error(`${at}: tenant_id is not a tenant id (tnt_…)`);
    const ways = [
      ['event_type_header', HEADER_NAME, (v: string) => ({ header: v.toLowerCase() })],
      ['event_type_field', FIELD, (v: string) => ({ field: v })],
      ['event_type', /^[\w.:-]{1,128}$/, (v: string) => ({ fixed: v })],
    ] as const;
    const given = ways.filter(([key]) => s[key] !== undefined);
    if (given.length !== 1) throw new Error(`${at}: set exactly one of event_type_header, event_type_field, event_type`);
    const [key, pattern, make] = given[0];
    const brokers = s.brokers;
    if (brokers !== undefined && (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && BROKER.test(b)))) {
      throw new Error(`${at}: brokers is a non-empty list of host:port`);
    }
    for (const flag of ['ordering_key_from_key', 'from_beginning']) {
      if (s[flag] !== undefined && typeof s[flag] !== 'boolean') throw new Error(`${at}: ${flag} is true or false`);
    }
    return {
      name,
      topic: text('topic', TOPIC, true)!,
      tenant_id: tenantId,
      event_type: make(text(key, pattern, true)!),
      payload_field: text('payload_field', FIELD, false),
      ordering_key_from_key: s.ordering_key_from_key !== false,
      brokers: brokers as string[] | undefined,
      from_beginning: s.from_beginning === true,
      rejects_topic: text('rejects_topic', TOPIC, false),
    };
  });
}

/** KAFKA_SOURCES as an environment variable of the command service (see parseKafkaSources). */
export function kafkaSourcesEnv(opts: { description: string }): EnvVar<KafkaSource[]> {
  return {
    description: opts.description,
    default: [],
    expected: 'a JSON array of sources ({"name","topic","tenant_id", one of "event_type_header"/"event_type_field"/"event_type", …}); see the README',
    parse(raw) {
      try {
        return parseKafkaSources(raw);
      } catch (err) {
        throw new ConfigError((err as Error).message);
      }
    },
  };
}
