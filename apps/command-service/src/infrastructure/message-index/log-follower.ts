import {
  EndpointAutoDisabledV1, EndpointId, EventOf, HooklineEvent, MessageContentExpungedV1, MessagePublishedV1, decodeEvent, isId, topicNames,
} from '@hookline/contracts';
import { runBatchConsumer } from '@hookline/kafka';
import { columnRowsInsert } from '@hookline/service-kit';
import { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { jsonStorageProblem } from '../../shared/json-limits';

export interface LogFollowerHooks {
  /** The dispatcher asked for an endpoint to be disabled (410 Gone or prolonged failure). */
  onEndpointAutoDisabled(
    tenantId: string, endpointId: EndpointId, reason: 'gone' | 'failing', detail: string, causationId: string, endpointVersion: number | undefined,
  ): Promise<void>;
  /**
   * Every decodable event of an operational batch (before the disables it asks for are carried out) and, with this
   * hook only, of a config batch: the operational webhooks.
   */
  onForwardable?(events: EventOf<HooklineEvent>[]): Promise<void>;
  onError(err: unknown): void;
}

/**
 * Follows the messages topic into the message index (for resend) and the operational topic for the dispatcher's
 * requests to disable endpoints, which become commands on the endpoint aggregate (the aggregate's single writer), and
 * for the operational webhooks (`onForwardable`, which also follows the config topic).
 */
export async function followLog(kafka: Kafka, ds: DataSource, topicPrefix: string, hooks: LogFollowerHooks) {
  const topics = topicNames(topicPrefix);
  return runBatchConsumer(kafka, {
    groupId: `${topicPrefix}hookline-command-service`,
    // The config topic only for the operational webhooks (which forward endpoints' lives); its events change no index.
    topics: hooks.onForwardable ? [topics.messages, topics.operational, topics.config] : [topics.messages, topics.operational],
    fromBeginning: true,
    // One index insert per batch: wait up to 250 ms for 64 KiB of messages rather than a fetch and an insert for each
    // few (at 50 ms, light traffic cost 20 of each a second). A resend waits for its message (MessageIndex.findRecent).
    maxWaitTimeInMs: 250,
    minBytes: 64 * 1024,
    // Both handlers are idempotent (index upserts; disables carry the endpoint version), so a commit per batch is waste.
    commitIntervalMs: 1000,
    handleBatch: async (batch) => {
      const events = batch.messages.map(safeDecode).filter((e): e is EventOf<HooklineEvent> => e !== null);
      if (batch.topic === topics.messages) await indexMessages(ds, events);
      else if (batch.topic === topics.config) await hooks.onForwardable?.(events);
      else {
        await hooks.onForwardable?.(events);
        for (const e of events) {
          if (e.type === 'endpoint.auto_disabled.v1' && isDisableRequest(e)) {
            await hooks.onEndpointAutoDisabled(e.tenant_id, e.data.endpoint_id, e.data.reason, e.data.detail, e.id, e.data.endpoint_version);
          }
        }
      }
      return batch.messages[batch.messages.length - 1].offset;
    },
  });
}

function safeDecode(m: KafkaMessage): EventOf<HooklineEvent> | null {
  try {
    return decodeEvent(m.value);
  } catch {
    return null; // not ours to judge: the query service records undecodable events
  }
}

// A record that can't be applied must be skipped, not retried: a throwing batch is consumed again and again, and
// one such record would stop the message index (and so resend) for good. A message whose payload Postgres can't hold
// (a NUL character) is left out of the index; it was delivered, it just can't be resent from here.
function isIndexable(e: EventOf<HooklineEvent>): e is EventOf<MessagePublishedV1> {
  if (e.type !== 'message.published.v1') return false;
  const d = e.data as Partial<MessagePublishedV1['data']> | undefined;
  return (
    isId('tenant', e.tenant_id) &&
    isId('message', d?.message_id) &&
    typeof d?.event_type === 'string' &&
    typeof d.payload === 'object' &&
    d.payload !== null &&
    Array.isArray(d.channels) &&
    d.channels.every((c) => typeof c === 'string') &&
    (d.endpoint_ids === undefined || (Array.isArray(d.endpoint_ids) && d.endpoint_ids.every((id) => isId('endpoint', id)))) &&
    (d.event_type_version == null || Number.isInteger(d.event_type_version)) &&
    !Number.isNaN(Date.parse(e.occurred_at)) &&
    jsonStorageProblem([d.event_type, d.payload, d.channels]) === null
  );
}

function isDisableRequest(e: EventOf<HooklineEvent>): e is EventOf<EndpointAutoDisabledV1> {
  const d = e.data as Partial<EndpointAutoDisabledV1['data']> | undefined;
  return isId('tenant', e.tenant_id) && isId('endpoint', d?.endpoint_id) && (d?.reason === 'gone' || d?.reason === 'failing') && typeof d.detail === 'string' && !d.detail.includes('\u0000')
    && (d.endpoint_version === undefined || (Number.isSafeInteger(d.endpoint_version) && d.endpoint_version >= 0));
}

function isExpunge(e: EventOf<HooklineEvent>): e is EventOf<MessageContentExpungedV1> {
  return e.type === 'message.content_expunged.v1' && isId('tenant', e.tenant_id) && isId('message', (e.data as { message_id?: unknown })?.message_id)
    && !Number.isNaN(Date.parse(e.occurred_at));
}

/** Indexes the batch's messages, then erases the content of those it expunges (each read after its message). */
async function indexMessages(ds: DataSource, events: EventOf<HooklineEvent>[]): Promise<void> {
  const rows = events.flatMap((e) =>
    isIndexable(e)
      ? [[e.tenant_id, e.data.message_id, e.data.event_type, e.data.event_type_version ?? null, e.data.payload, e.data.channels, e.occurred_at,
        e.data.endpoint_ids ?? null, e.data.ordering_key ?? null]]
      : [],
  );
  if (rows.length) {
    const { sql, params } = columnRowsInsert(`messages (tenant_id text, message_id text, event_type text, event_type_version int,
        payload jsonb, channels text[], published_at timestamptz, endpoint_ids text[], ordering_key text)`, rows);
    await ds.query(`${sql} ON CONFLICT DO NOTHING`, params);
  }
  // Rare (a command each), so one statement apiece.
  for (const e of events.filter(isExpunge)) {
    await ds.query(
      'UPDATE messages SET payload = NULL, content_expunged_at = $3 WHERE tenant_id = $1 AND message_id = $2 AND content_expunged_at IS NULL',
      [e.tenant_id, e.data.message_id, e.occurred_at],
    );
  }
}

