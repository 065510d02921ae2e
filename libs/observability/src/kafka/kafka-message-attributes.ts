import type { Attributes } from '@opentelemetry/api';
import { utf8Text } from './utf8-text';

/** What a Kafka span says about its message; each field becomes an OpenTelemetry messaging semantic-convention attribute. */
export interface KafkaMessageAttributes {
  /** `messaging.destination.name`. */
  topic: string;
  /** `messaging.kafka.message.key`; Buffers are read as UTF-8. */
  key?: string | Buffer | null;
  /** `messaging.destination.partition.id`. */
  partition?: number;
  /** `messaging.kafka.offset` (kafkajs gives offsets as strings). */
  offset?: string;
  /** `messaging.consumer.group.name`. */
  consumerGroup?: string;
  /** `messaging.message.id`, e.g. the Hookline `msg_` id. */
  messageId?: string;
  /** `messaging.client.id`, the kafkajs client id. */
  clientId?: string;
  /** `messaging.batch.message_count`, for a span that covers a whole batch. */
  batchSize?: number;
  /** Further attributes, set as given. */
  attributes?: Attributes;
}

/** The semantic-convention operation a span stands for: `send` on the producer side, `process` on the consumer side. */
export type MessagingOperation = 'send' | 'process';

// Semantic-convention names written out here because the messaging conventions are still "incubating" upstream, and the
// incubating entry point of @opentelemetry/semantic-conventions may rename or drop them in any minor release.
const MESSAGING_SYSTEM = 'messaging.system';
const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
const MESSAGING_OPERATION_NAME = 'messaging.operation.name';
const MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
const MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
const MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
const MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
const MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
const MESSAGING_MESSAGE_ID = 'messaging.message.id';
const MESSAGING_CLIENT_ID = 'messaging.client.id';
const MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';

/** Maps {@link KafkaMessageAttributes} to span attributes for the given operation. */
export function kafkaSpanAttributes(message: KafkaMessageAttributes, operation: MessagingOperation): Attributes {
  const attributes: Attributes = {
    [MESSAGING_SYSTEM]: 'kafka',
    [MESSAGING_OPERATION_TYPE]: operation,
    [MESSAGING_OPERATION_NAME]: operation,
    [MESSAGING_DESTINATION_NAME]: message.topic,
  };
  if (message.key !== undefined && message.key !== null) attributes[MESSAGING_KAFKA_MESSAGE_KEY] = utf8Text(message.key);
  if (message.partition !== undefined) attributes[MESSAGING_DESTINATION_PARTITION_ID] = String(message.partition);
  if (message.offset !== undefined) attributes[MESSAGING_KAFKA_OFFSET] = Number(message.offset);
  if (message.consumerGroup !== undefined) attributes[MESSAGING_CONSUMER_GROUP_NAME] = message.consumerGroup;
  if (message.messageId !== undefined) attributes[MESSAGING_MESSAGE_ID] = message.messageId;
  if (message.clientId !== undefined) attributes[MESSAGING_CLIENT_ID] = message.clientId;
  if (message.batchSize !== undefined) attributes[MESSAGING_BATCH_MESSAGE_COUNT] = message.batchSize;
  // Assigned, not spread into a new object: this runs for every record, and on Node 20 (V8 11.3) objects built by
  // spread survive young-generation collections although nothing uses them.
  return Object.assign(attributes, message.attributes);
}

