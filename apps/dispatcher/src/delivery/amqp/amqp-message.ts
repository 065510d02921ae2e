import type { AmqpDestination } from '@hookline/net-guard';
import type { Options } from 'amqplib';
import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { brokerHeadersOf } from '../broker/broker-headers';
import { BuiltWebhookRequest } from '../webhook-request';

/** One message for an AMQP destination: what an https endpoint's request would carry, as body, routing key and properties. */
export interface AmqpDestinationMessage {
  routingKey: string;
  content: Buffer;
  properties: Options.Publish;
}

/** Who published, in the message's `app_id` property. */
export const AMQP_APP_ID = 'hookline';

/**
 * The message of one attempt, made from the webhook request so both ways carry one thing: the body byte for byte (the
 * standard `{type,timestamp,data}` or the transformation's), the request's headers as AMQP headers (see
 * brokerHeadersOf), so a consumer verifies the signature with any Standard Webhooks library exactly as a receiver does.
 * The properties say the rest the AMQP way: `message_id` is the webhook-id (a consumer dedupes by it), `timestamp` the
 * signed webhook-timestamp, `type` the event type, `persistent` (delivery mode 2) so a durable queue keeps it across a
 * broker restart. Routing key: the URL's, else the event type, so queues bind to a topic exchange by type
 * (`invoice.*`). Published `mandatory`, so a message no queue takes comes back instead of vanishing.
 */
export function amqpMessageOf(request: BuiltWebhookRequest, message: DeliveryMessage, destination: AmqpDestination): AmqpDestinationMessage {
  const headers = brokerHeadersOf(request);
  return {
    routingKey: destination.routingKey ?? message.event_type,
    content: request.body,
    properties: {
      contentType: headers['content-type'], messageId: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']),
      type: message.event_type, appId: AMQP_APP_ID, persistent: true, mandatory: true, headers,
    },
  };
}
