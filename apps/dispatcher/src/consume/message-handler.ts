import { EventOf, MessagePublishedV1, MessageTopicEvent, decodeEvent } from '@hookline/contracts';
import { type Logger, traceLogFields } from '@hookline/observability';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { recoverEndpoint } from '../commands/recover/recover-endpoint.handler';
import { resendMessage } from '../commands/resend/resend-message.handler';
import { EndpointDirectory } from '../config-view/endpoint-directory';
import type { DroppedDeliveries } from '../delivery/dropped-deliveries';
import { DeliveryMessage } from '../domain/delivery-lifecycle';
import { fanOut } from '../domain/fan-out';
import { RetryStore } from '../retry-store/retry-store';
import { FastPath } from './fast-path';
import { OffsetHold } from './offset-tracker';

export interface MessageHandlerDeps {
  endpoints: EndpointDirectory;
  fastPath: FastPath;
  store: RetryStore;
  drops: Pick<DroppedDeliveries, 'contentExpunged'>;
  log: Logger;
  /** Resend/recover rows were written: the retry worker should look now. */
  onRequeued: () => void;
  onStuck: (err: unknown) => void;
}

/**
 * Routes one event of the messages topic. Its offset hold is released here once every delivery it led to has been
 * handed out (each delivery retains the hold itself until it is finished or parked).
 */
export class MessageHandler {
  constructor(private readonly deps: MessageHandlerDeps) {}

  /** `consumed`: the W3C headers of the consumer span this runs in (empty without a tracing SDK). */
  handle(message: KafkaMessage, hold: OffsetHold, consumed: Record<string, string>): void {
    let event: EventOf<MessageTopicEvent>;
    try {
      event = decodeEvent(message.value) as EventOf<MessageTopicEvent>;
    } catch (err) {
      this.deps.log.warn({ offset: message.offset, err: (err as Error).message }, 'skipping undecodable event on the messages topic');
      return hold.release();
    }
    // The consumer span's context, so attempts become its children; without a tracing SDK, the publisher's own as it came.
    const trace = consumed['traceparent'] ? consumed : traceHeaders(message.headers);
    switch (event.type) {
      case 'message.published.v1':
        this.publish(event, trace, hold);
        return hold.release();
      case 'message.resend_requested.v1':
        return this.durably(hold, resendMessage(event, trace, this.deps));
      case 'endpoint.recovery_requested.v1':
        return this.durably(hold, recoverEndpoint(event, this.deps));
      case 'message.content_expunged.v1':
        return this.durably(hold, this.deps.drops.contentExpunged(event.tenant_id, event.data.message_id));
      default:
        // Other event types may share the topic in future versions; they are not the dispatcher's.
        return hold.release();
    }
  }

  private publish(event: EventOf<MessagePublishedV1>, trace: Record<string, string>, hold: OffsetHold): void {
    const { data } = event;
    const message: DeliveryMessage = {
      message_id: data.message_id, event_type: data.event_type, event_type_version: data.event_type_version, payload: data.payload,
      channels: data.channels ?? [], published_at: event.occurred_at, causation_id: event.id, correlation_id: event.correlation_id, trace,
      ordering_key: data.ordering_key ?? null,
    };
    const { endpoints } = this.deps;
    const deliveries = fanOut(event.tenant_id, message, endpoints.ofTenant(event.tenant_id), endpoints.typesNeedingApproval(event.tenant_id), data.endpoint_ids);
    // The payload only at debug level; fields named in LOG_REDACT_FIELDS are masked in it like everywhere else.
    if (this.deps.log.isLevelEnabled('debug')) {
      this.deps.log.debug(
        {
          ...traceLogFields(trace), tenant_id: event.tenant_id, message_id: data.message_id, event_type: data.event_type,
          deliveries: deliveries.length, payload: data.payload,
        },
        'message fanned out',
      );
    }
    for (const delivery of deliveries) {
      this.deps.fastPath.submit(delivery, this.deps.endpoints.get(delivery.endpointId)!, hold);
    }
  }

  private durably(hold: OffsetHold, work: Promise<unknown>): void {
    work.then(
      () => {
        hold.release();
        this.deps.onRequeued();
      },
      (err) => this.deps.onStuck(err),
    );
  }
}

function traceHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = headers?.[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined) out[name] = text.toString();
  }
  return out;
}
