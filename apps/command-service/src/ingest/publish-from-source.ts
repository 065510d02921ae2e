import { TenantId } from '@hookline/contracts';
import { requestTraceContext } from '@hookline/observability';
import { ProblemError } from '@hookline/service-kit';
import type { PublishMessageHandler, PublishedMessage } from '../commands/publish-message/publish-message.handler';
import { PublishMessageRequest } from '../commands/publish-message/publish-message.request.dto';
import { correlationIdFrom } from '../shared/request-context';
import { validateDto } from '../shared/transport';
import type { SourcePublish } from './source-record';

/** One message a source (a Kafka topic, an HTTP source) publishes for its tenant. */
export interface SourcePublishRequest {
  tenantId: string;
  /** Names the source as the message's caller: the actor on its events, where an API key's id would be. */
  callerId: string;
  /** What came with it, lower-case names: a W3C `traceparent` continues the producer's trace, `x-correlation-id` names its events. */
  headers: Record<string, string | undefined>;
  publish: SourcePublish;
  /** Makes a repeat of the same input (a record read again, a provider's retry) the same message. */
  idempotencyKey?: string;
  /** Called when the key was seen before: the answer is the first message's. */
  onReplay?: () => void;
}

/**
 * Publishes what a source read through the same handler, and so the same rules, as POST /messages: the event type
 * must exist, the payload must match its JSON Schema and size, and Kafka has acknowledged it when this resolves.
 * @throws ProblemError for a refusal (the rules), or when Kafka or Postgres is unavailable.
 */
export async function publishFromSource(publisher: Pick<PublishMessageHandler, 'execute'>, request: SourcePublishRequest): Promise<PublishedMessage> {
  const { tenantId, headers } = request;
  const input = await validateDto(PublishMessageRequest, { ...request.publish });
  return publisher.execute(
    {
      auth: { keyId: request.callerId, scope: 'tenant', tenantId: tenantId as TenantId, expiresAt: null },
      correlationId: correlationIdFrom(headers['x-correlation-id']),
      trace: requestTraceContext(headers),
      markReplayed: request.onReplay,
    },
    tenantId,
    input,
    request.idempotencyKey,
  );
}

// Kafka or Postgres unavailable, a 503, a rate limit: another try later may succeed. Every other refusal is final.
const TRANSIENT = new Set(['unavailable', 'internal', 'rate_limited']);

/**
 * Why a source cannot publish a record for good (its event type is unknown, its schema refuses it, it is too large),
 * as a reason and a detail for the log; null when another try may succeed (a failure that is no refusal, or one of
 * Kafka or Postgres being unavailable), and the record must be read again rather than set aside.
 */
export function finalRefusal(err: unknown): { reason: string; detail: string } | null {
  // A Retry-After says the same: another request with this Idempotency-Key is still being published (a redelivery
  // that overtook the first delivery's publish), and the answer will be that one's.
  if (!(err instanceof ProblemError) || TRANSIENT.has(err.kind) || err.headers['retry-after'] !== undefined) return null;
  return { reason: err.kind, detail: [err.message, ...err.errors.map((e) => `${e.pointer}: ${e.detail}`)].join('; ') };
}
