import { EndpointId, TenantId, deliveryIdOf } from '@hookline/contracts';
import { EndpointState, endpointWantsMessage } from '@hookline/domain';
import { DeliveryMessage, PendingDelivery, pendingDelivery } from './delivery-lifecycle';

/**
 * One pending delivery per endpoint of the tenant that wants the message (enabled, subscribed to the event type, and
 * approved for it when of every type and the type is one of `gatedTypes`, sharing a channel, passing the payload
 * filter) and, when the message names endpoints (`only`), is one of them.
 * Delivery ids derive from message and endpoint, so fanning the same message out twice (a redelivered Kafka batch)
 * yields the same deliveries.
 */
export function fanOut(
  tenantId: TenantId,
  message: DeliveryMessage,
  endpoints: Iterable<EndpointState>,
  gatedTypes: ReadonlySet<string>,
  only?: readonly string[],
): PendingDelivery[] {
  const deliveries: PendingDelivery[] = [];
  const needsApproval = gatedTypes.has(message.event_type);
  for (const endpoint of endpoints) {
    if (endpoint.status !== 'active' || endpoint.endpointId === null) continue;
    if (only && !only.includes(endpoint.endpointId)) continue;
    if (!endpointWantsMessage(endpoint, message, needsApproval)) continue;
    const endpointId: EndpointId = endpoint.endpointId;
    deliveries.push(pendingDelivery({ deliveryId: deliveryIdOf(message.message_id, endpointId), tenantId, endpointId, message }));
  }
  return deliveries;
}
