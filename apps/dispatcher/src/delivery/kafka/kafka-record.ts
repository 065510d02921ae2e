import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { BuiltWebhookRequest } from '../webhook-request';

/** One record for a Kafka destination: what an https endpoint's request would carry, as key, value and headers. */
export interface KafkaDestinationRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

// About the HTTP connection, not the webhook: a record has no user agent (the producer's client id names the sender).
const HTTP_ONLY = new Set(['user-agent']);

/**
 * The record of one attempt, made from the webhook request so both ways carry one thing: the value is the body byte
 * for byte (the standard `{type,timestamp,data}` or the transformation's), the headers are the request's (webhook-id,
 * -timestamp, -signature, -attempt, content-type, hookline-*, trace context, custom headers), so a consumer verifies
 * the signature with any Standard Webhooks library exactly as a receiver does. Key: the message's ordering key, so a
 * topic partitioned by key keeps its order, else the message id (a consumer dedupes by it, like by webhook-id).
 */
export function kafkaRecordOf(request: BuiltWebhookRequest, message: DeliveryMessage): KafkaDestinationRecord {
  return { key: message.ordering_key || message.message_id, value: request.body, headers: withoutHttpOnly(request.headers) };
}

/** The headers the attempt log shows for a record: the request's masked ones, less what a record does not carry. */
export function loggedRecordHeaders(request: BuiltWebhookRequest): Record<string, string> {
  return withoutHttpOnly(request.loggedHeaders);
}

function withoutHttpOnly(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!HTTP_ONLY.has(name)) out[name] = value;
  return out;
}
