import { EndpointId, Envelope, MessageId, TenantId, messageKey } from '@hookline/contracts';
import { IndexedMessage } from '../infrastructure/message-index/message-index';
import { RequestContext, requestEnvelope } from './request-context';

/**
 * The events that ask the dispatcher to send again, on the messages topic.
 *
 * message.resend_requested.v1 for one indexed message and one endpoint (a resend, or one message of a replay). It
 * carries the message itself, so the dispatcher needs no store of past payloads. It goes under the message's own key
 * (resendKey): the dispatcher instance that reads it is the one that read the message, so it finds a first attempt of
 * that delivery still running there and lets it end before the resend goes (no two sends of one delivery at once).
 */
export function resendRequest(ctx: RequestContext, tenantId: TenantId, endpointId: EndpointId, message: IndexedMessage): Envelope {
  return requestEnvelope(ctx, tenantId, {
    type: 'message.resend_requested.v1',
    data: {
      message_id: message.message_id as MessageId, endpoint_id: endpointId, event_type: message.event_type,
      event_type_version: message.event_type_version, payload: message.payload, channels: message.channels,
      published_at: message.published_at,
      // Only when the message has one, so other resends stay as they were.
      ...(message.ordering_key ? { ordering_key: message.ordering_key } : {}),
    },
  });
}

/** The messages topic's key of a resend: the message's own (tenant, or tenant and ordering key). */
export function resendKey(tenantId: TenantId, message: IndexedMessage): string {
  return messageKey(tenantId, message.ordering_key);
}

/** endpoint.recovery_requested.v1 (keyed by tenant): the endpoint's failed deliveries of messages published in [since, until) go again. */
export function recoveryRequest(ctx: RequestContext, tenantId: TenantId, endpointId: EndpointId, since: Date, until: Date): Envelope {
  return requestEnvelope(ctx, tenantId,
    { type: 'endpoint.recovery_requested.v1', data: { endpoint_id: endpointId, since: since.toISOString(), until: until.toISOString() } });
}
