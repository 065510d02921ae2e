import {
  EndpointId, EndpointSettingsV1, EventOf, HooklineEvent, TenantId, encodeEvent, envelope, newId, HEADER,
} from '@hookline/contracts';
import { OutgoingEvent } from '@hookline/kafka';
import { SealingKey, generateHmacSecret, parseSealingKey, sealSecret } from '@hookline/signing';
import { DEV_SECRETS_ENCRYPTION_KEY } from '@hookline/config';

export const DEV_KEY = parseSealingKey(DEV_SECRETS_ENCRYPTION_KEY);

/** A record for a topic, as the command-service would append it. */
export function record(topic: string, key: string, tenantId: TenantId, event: HooklineEvent, extra: Partial<EventOf<HooklineEvent>> = {}): OutgoingEvent {
  const env = { ...envelope(event, { tenantId, source: 'command-service', correlationId: newId('event') }), ...extra };
  return {
    topic, key, value: encodeEvent(env),
    headers: { [HEADER.eventType]: env.type, [HEADER.eventId]: env.id, [HEADER.tenantId]: tenantId, [HEADER.contentType]: 'application/json' },
  };
}

export function endpointSettings(url: string, overrides: Partial<EndpointSettingsV1> = {}): EndpointSettingsV1 {
  return {
    url, description: '', event_types: null, channels: null, filter: null, headers: {}, rate_limit_per_second: null,
    max_in_flight: null, retry_schedule_seconds: null, fifo: false, metadata: {}, ...overrides,
  };
}

/** endpoint.created.v1 with a fresh whsec_ secret sealed under `key` (the development key); returns the plain secret too. */
export function endpointCreated(url: string, overrides: Partial<EndpointSettingsV1> = {}, status: 'enabled' | 'disabled' = 'enabled', key: SealingKey = DEV_KEY) {
  const endpointId = newId('endpoint') as EndpointId;
  const secret = generateHmacSecret();
  const event: HooklineEvent = {
    type: 'endpoint.created.v1',
    data: {
      ...endpointSettings(url, overrides), endpoint_id: endpointId, status,
      secrets: [{ secret_id: newId('secret'), kind: 'hmac', sealed: sealSecret(secret, key), public_key: null, created_at: new Date().toISOString(), expires_at: null }],
    },
  };
  return { endpointId, secret, event };
}
