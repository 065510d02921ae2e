import { EventOf, MessageResendRequestedV1, deliveryIdOf } from '@hookline/contracts';
import { EndpointDirectory } from '../../config-view/endpoint-directory';
import type { FastPath } from '../../consume/fast-path';
import { DeliveryMessage, pendingDelivery } from '../../domain/delivery-lifecycle';
import { rowOf } from '../../retry-store/parked-row';
import { RetryStore } from '../../retry-store/retry-store';

export type ResendResult = { kind: 'scheduled' } | { kind: 'ignored'; reason: string };

/**
 * message.resend_requested.v1: one message to one endpoint again, as a new series of attempts (trigger "resend") with
 * the same delivery id and webhook-id. It goes through the retry store: resends are rare, and a row makes the request
 * durable before the Kafka offset moves past it. An attempt of the delivery running on this instance's fast path is
 * handed over to the store first, so the resend waits for it (as for a retry being sent) instead of going alongside.
 * One running on another instance (a message with an ordering key is read from its own partition) is not seen here.
 */
export async function resendMessage(
  event: EventOf<MessageResendRequestedV1>,
  trace: Record<string, string>,
  deps: { endpoints: EndpointDirectory; store: RetryStore; fastPath: Pick<FastPath, 'handOver'> },
): Promise<ResendResult> {
  const { data } = event;
  const endpoint = deps.endpoints.get(data.endpoint_id);
  // Tenant scope: a request naming another tenant's endpoint is ignored, never delivered.
  if (!endpoint || endpoint.tenantId !== event.tenant_id) return { kind: 'ignored', reason: 'endpoint not found for tenant' };
  const message: DeliveryMessage = {
    message_id: data.message_id, event_type: data.event_type, event_type_version: data.event_type_version, payload: data.payload,
    channels: data.channels, published_at: data.published_at, causation_id: event.id, correlation_id: event.correlation_id, trace,
    ordering_key: data.ordering_key ?? null,
  };
  const delivery = pendingDelivery({
    deliveryId: deliveryIdOf(data.message_id, data.endpoint_id), tenantId: event.tenant_id, endpointId: data.endpoint_id,
    message, origin: 'resend',
  });
  await deps.fastPath.handOver(delivery.deliveryId);
  await deps.store.scheduleResend(rowOf(delivery, { nextAttemptAt: new Date(), fifo: endpoint.state.settings.fifo }));
  return { kind: 'scheduled' };
}
