import {
  ConfigEvent, Envelope, EventOf, HooklineEvent, MessageId, MessagePublishedV1, OPERATIONAL_EVENT_TYPES, TenantId, envelope, isId,
} from '@hookline/contracts';

/** Operational events older than this are not forwarded: a first start on a long log would otherwise send its history. */
export const MAX_FORWARD_AGE_MS = 24 * 3600_000;

const OPERATIONAL_TYPES = new Set<string>(OPERATIONAL_EVENT_TYPES);

/**
 * An endpoint's life, from the config topic (as Svix's operational webhooks have it). Only its id goes out, and for a
 * disable the reason: the config events themselves carry sealed secrets and credentials, which never leave for a webhook.
 */
const ENDPOINT_LIFE_TYPES = new Set<string>([
  'endpoint.created.v1', 'endpoint.updated.v1', 'endpoint.deleted.v1', 'endpoint.enabled.v1', 'endpoint.disabled.v1',
] satisfies Array<ConfigEvent['type']>);

function forwardedData(event: EventOf<HooklineEvent>): unknown {
  if (OPERATIONAL_TYPES.has(event.type)) return event.data;
  const data = event.data as { endpoint_id: string; reason?: string; detail?: string };
  return event.type === 'endpoint.disabled.v1'
    ? { endpoint_id: data.endpoint_id, reason: data.reason, detail: data.detail }
    : { endpoint_id: data.endpoint_id };
}

/**
 * The message an operational event (or an endpoint's creation, change, deletion, enabling or disabling) becomes in the
 * operator's tenant (OPERATIONAL_WEBHOOKS_TENANT_ID), so that the
 * operator gets it as a webhook through Hookline itself: signed, retried, traced, resendable. Its event type is the
 * operational type without its version (`endpoint.auto_disabled`); its channel is the tenant it is about, so an
 * endpoint can follow some tenants only; its payload the event's type, tenant, time, id and data.
 *
 * The message id comes from the event id, so an event read twice (a redelivered batch) is the same webhook-id to the
 * receiver. Null for what is not forwarded: other events, events about the operator's own tenant (a failing operator
 * endpoint would otherwise feed itself a webhook per failure), and events older than MAX_FORWARD_AGE_MS.
 */
export function operationalMessage(
  event: EventOf<HooklineEvent>, operatorTenant: TenantId, now: number,
): Envelope<MessagePublishedV1['type'], MessagePublishedV1['data']> | null {
  if (!(OPERATIONAL_TYPES.has(event.type) || ENDPOINT_LIFE_TYPES.has(event.type)) || !isId('event', event.id) || event.tenant_id === operatorTenant) {
    return null;
  }
  const occurredAt = Date.parse(event.occurred_at);
  if (Number.isNaN(occurredAt) || now - occurredAt > MAX_FORWARD_AGE_MS) return null;
  const messageId = `msg_${event.id.slice(event.id.indexOf('_') + 1)}` as MessageId;
  const message: MessagePublishedV1 = {
    type: 'message.published.v1',
    data: {
      message_id: messageId,
      event_type: event.type.replace(/\.v\d+$/, ''),
      event_type_version: null,
      payload: { type: event.type, tenant_id: event.tenant_id, occurred_at: event.occurred_at, event_id: event.id, data: forwardedData(event) },
      channels: [event.tenant_id],
      idempotency_key: null,
      ordering_key: null,
    },
  };
  return envelope(message, {
    tenantId: operatorTenant, source: 'command-service', correlationId: event.correlation_id, causationId: event.id,
    actor: { kind: 'system', id: 'operational-webhooks' },
  });
}
