import type { EnvVar } from '@hookline/config';
import type { RecordProperty } from '../source-record';
import { EVENT_TYPE_WAYS, FIELD, HEADER_NAME, SettingWay, SourceEventTypeSetting, parseSourceList, sourcesEnv } from '../source-settings';
import { isAmqpUrl } from './amqp-url';

/**
 * A RabbitMQ (AMQP 0-9-1) queue of the user's own whose messages become messages of one tenant (Convoy's AMQP
 * sources, Hookdeck Outpost's RabbitMQ): services that already publish events to RabbitMQ get them delivered as
 * webhooks without a second publish call.
 */
export interface AmqpSource {
  /** Names the source in metrics, logs and its messages' idempotency keys. */
  name: string;
  /** `amqp://` or `amqps://` (TLS) with credentials and vhost: never logged as is (see redactAmqpUrl). */
  url: string;
  /** An existing queue: the source consumes it and declares nothing (its dead-letter exchange is the user's). */
  queue: string;
  tenant_id: string;
  /** Where a message's event type is: a header, a top-level field of its JSON body, its `type` property or routing key, or one fixed type. */
  event_type: SourceEventTypeSetting | { property: RecordProperty };
  /** A top-level field of the body that holds the payload; absent: the whole body is the payload. */
  payload_field?: string;
  /** Where a message's ordering key is (messages with one key are published in order); absent: none, all concurrent. */
  ordering_key?: { header: string } | { routing_key: true };
  /** Where the producer's id of a message is, which makes a redelivery the same message: its `message_id` property, or a header. */
  idempotency: { message_id: true } | { header: string };
  /** Most messages RabbitMQ hands the source before it acknowledges any (basic.qos). */
  prefetch: number;
}

/** Timings of AMQP sources: defaults here, overridable by the caller (tests make them short). */
export interface AmqpSourceTiming {
  /** First wait before reconnecting after the connection or channel was lost; doubles per failed try up to reconnectMaxMs. */
  reconnectMs: number;
  reconnectMaxMs: number;
  /** First wait before publishing a message again after Kafka or Postgres was unavailable; doubles up to retryMaxMs. */
  retryMs: number;
  retryMaxMs: number;
  /** How long one TCP + TLS + AMQP handshake may take. */
  connectTimeoutMs: number;
  /** How often each source's queue depth is measured for /metrics. */
  depthIntervalMs: number;
  /**
   * How long a request to the broker (a queue check, a cancel, a close) is waited for. A connection cut a moment ago
   * may not have told amqplib yet, and a request sent on it then is never answered: without a bound, a stop or a
   * depth check waited for it forever.
   */
  requestTimeoutMs: number;
}

export const AMQP_SOURCE_TIMING: AmqpSourceTiming = {
  reconnectMs: 1000,
  reconnectMaxMs: 30_000,
  retryMs: 500,
  retryMaxMs: 30_000,
  connectTimeoutMs: 10_000,
  depthIntervalMs: 10_000,
  requestTimeoutMs: 5_000,
};

export const DEFAULT_PREFETCH = 64;

// Printable ASCII without spaces: what queue names are in practice, and nothing a log line or a label could be confused by.
const QUEUE = /^[\x21-\x7e]{1,255}$/;
const KEYS = [
  'url', 'queue', 'event_type_header', 'event_type_field', 'event_type', 'event_type_from', 'payload_field',
  'ordering_key_header', 'ordering_key_from', 'idempotency_header', 'prefetch',
];
const EVENT_TYPE_FROM: SettingWay<AmqpSource['event_type']> = ['event_type_from', /^(type_property|routing_key)$/, (v) => ({ property: v as RecordProperty })];
const ORDERING_KEY_WAYS: ReadonlyArray<SettingWay<NonNullable<AmqpSource['ordering_key']>>> = [
  ['ordering_key_header', HEADER_NAME, (v) => ({ header: v.toLowerCase() })],
  ['ordering_key_from', /^routing_key$/, () => ({ routing_key: true })],
];

/**
 * Reads AMQP_SOURCES: a JSON array of sources, e.g.
 * `[{"name":"billing","url":"amqp://user:pass@host:5672/vhost","queue":"billing.events","tenant_id":"tnt_…","event_type_header":"event-type"}]`.
 * The event type comes from exactly one of `event_type_header`, `event_type_field`, `event_type` (fixed) or
 * `event_type_from` (`type_property` or `routing_key`). Throws an Error saying what is wrong and where (never the
 * URL, which holds a password), so the service refuses to start on a source it would misread.
 */
export function parseAmqpSources(raw: string): AmqpSource[] {
  return parseSourceList(raw, KEYS, (s) => {
    const url = s.value('url');
    if (url === undefined) s.refuse('url is required');
    if (typeof url !== 'string' || !isAmqpUrl(url)) s.refuse('url is not an amqp:// or amqps:// URL with a host');
    const eventType = s.oneOf([...EVENT_TYPE_WAYS, EVENT_TYPE_FROM], true);
    const idempotencyHeader = s.text('idempotency_header', HEADER_NAME);
    const orderingKey = s.oneOf(ORDERING_KEY_WAYS, false);
    return {
      name: s.name,
      url: url as string,
      queue: s.required('queue', QUEUE),
      tenant_id: s.tenant_id,
      event_type: eventType,
      payload_field: s.text('payload_field', FIELD),
      ...(orderingKey ? { ordering_key: orderingKey } : {}),
      idempotency: idempotencyHeader ? { header: idempotencyHeader.toLowerCase() } : { message_id: true },
      prefetch: s.int('prefetch', 1, 10_000) ?? DEFAULT_PREFETCH,
    };
  });
}

/** AMQP_SOURCES as an environment variable of the command service (see parseAmqpSources); its value is never shown. */
export function amqpSourcesEnv(opts: { description: string }): EnvVar<AmqpSource[]> {
  return sourcesEnv(parseAmqpSources, {
    description: opts.description,
    expected: 'a JSON array of sources ({"name","url","queue","tenant_id", one of "event_type_header"/"event_type_field"/"event_type"/"event_type_from", …}); see the README',
    sensitive: true,
  });
}
