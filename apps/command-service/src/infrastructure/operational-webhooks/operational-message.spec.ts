import { EndpointId, EventOf, HooklineEvent, TenantId, envelope, newId } from '@hookline/contracts';
import { MAX_FORWARD_AGE_MS, operationalMessage } from './operational-message';

const operator = newId('tenant') as TenantId;
const customer = newId('tenant') as TenantId;
const endpointId = newId('endpoint') as EndpointId;
const now = Date.parse('2026-12-01T12:00:00.000Z');

const breakerOpened = (tenantId: TenantId, at = new Date(now - 1000)) => envelope(
  { type: 'endpoint.breaker_changed.v1', data: { endpoint_id: endpointId, state: 'open', failure_ratio: 0.9 } },
  { tenantId, source: 'dispatcher', correlationId: 'corr-1', occurredAt: at },
) as EventOf<HooklineEvent>;

describe('operationalMessage', () => {
  it("turns another tenant's operational event into a message of the operator's tenant, with a webhook-id of its own event", () => {
    const event = breakerOpened(customer);
    const message = operationalMessage(event, operator, now);
    expect(message).toMatchObject({
      type: 'message.published.v1', tenant_id: operator, source: 'command-service', correlation_id: 'corr-1', causation_id: event.id,
      data: {
        message_id: `msg_${event.id.slice(4)}`, event_type: 'endpoint.breaker_changed', event_type_version: null, channels: [customer],
        payload: { type: 'endpoint.breaker_changed.v1', tenant_id: customer, occurred_at: event.occurred_at, event_id: event.id, data: event.data },
        idempotency_key: null, ordering_key: null,
      },
    });
    // Read twice, the same message id: the receiver sees one webhook-id.
    expect(operationalMessage(event, operator, now)!.data.message_id).toBe(message!.data.message_id);
  });

  it("forwards an endpoint's life by its id alone (and a disable's reason), never the sealed values its config events carry", () => {
    const created = envelope({ type: 'endpoint.created.v1', data: {
      endpoint_id: endpointId, status: 'enabled', url: 'https://customer.example/hook', description: '', event_types: null, channels: null, filter: null,
      headers: {}, rate_limit_per_second: null, max_in_flight: null, retry_schedule_seconds: null, fifo: false, metadata: {},
      secrets: [{ secret_id: newId('secret'), kind: 'hmac', sealed: 'enc:v1:SEALED', public_key: null, created_at: new Date(now).toISOString(), expires_at: null }],
    } }, { tenantId: customer, source: 'command-service', correlationId: 'c', occurredAt: new Date(now) }) as EventOf<HooklineEvent>;
    const message = operationalMessage(created, operator, now)!;
    expect(message.data).toMatchObject({ event_type: 'endpoint.created', channels: [customer], payload: { type: 'endpoint.created.v1', data: { endpoint_id: endpointId } } });
    expect(JSON.stringify(message)).not.toContain('SEALED');
    const disabled = envelope({ type: 'endpoint.disabled.v1', data: { endpoint_id: endpointId, reason: 'gone', detail: '410' } },
      { tenantId: customer, source: 'command-service', correlationId: 'c', occurredAt: new Date(now) }) as EventOf<HooklineEvent>;
    expect(operationalMessage(disabled, operator, now)!.data.payload).toMatchObject({ data: { endpoint_id: endpointId, reason: 'gone', detail: '410' } });
    const rotated = envelope({ type: 'endpoint.secret_rotated.v1', data: { endpoint_id: endpointId,
      secret: { secret_id: newId('secret'), kind: 'hmac', sealed: 'enc:v1:S', public_key: null, created_at: '', expires_at: null }, previous_secrets_expire_at: '' } },
    { tenantId: customer, source: 'command-service', correlationId: 'c', occurredAt: new Date(now) }) as EventOf<HooklineEvent>;
    expect(operationalMessage(rotated, operator, now)).toBeNull();
  });

  it("forwards nothing about the operator's own tenant, nothing older than a day, and no other event", () => {
    expect(operationalMessage(breakerOpened(operator), operator, now)).toBeNull();
    expect(operationalMessage(breakerOpened(customer, new Date(now - MAX_FORWARD_AGE_MS - 1)), operator, now)).toBeNull();
    const published = envelope({ type: 'message.published.v1', data: { message_id: newId('message'), event_type: 'x', event_type_version: null,
      payload: {}, channels: [], idempotency_key: null, ordering_key: null } }, { tenantId: customer, source: 'command-service', correlationId: 'c' });
    expect(operationalMessage(published as EventOf<HooklineEvent>, operator, now)).toBeNull();
  });
});
