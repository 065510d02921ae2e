import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { brokerHeadersOf } from '../broker/broker-headers';
import { BuiltWebhookRequest } from '../webhook-request';

/** One record for a Kafka destination: what an https endpoint's request would carry, as key, value and headers. */
export interface KafkaDestinationRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The record of one attempt, made from the webhook request so both ways carry one thing: the value is the body byte
 * for byte (the standard `{type,timestamp,data}` or the transformation's), the headers are the request's (webhook-id,
 * -timestamp, -signature, -attempt, content-type, hookline-*, trace context, custom headers), so a consumer verifies
 * the signature with any Standard Webhooks library exactly as a receiver does. Key: the message's ordering key, so a
 * topic partitioned by key keeps its order, else the message id (a consumer dedupes by it, like by webhook-id).
 */
export function kafkaRecordOf(request: BuiltWebhookRequest, message: DeliveryMessage): KafkaDestinationRecord {
  return { key: message.ordering_key || message.message_id, value: request.body, headers: brokerHeadersOf(request) };
}
