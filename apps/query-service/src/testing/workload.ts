import { EndpointId, Envelope, MessageId, TenantId, newId } from '@hookline/contracts';
import { fixtures } from './event-fixtures';

export interface Workload {
  events: Envelope[];
  messages: number;
  attempts: number;
}

/**
 * A realistic mix for a few tenants: config (tenants, keys, event types, endpoints, a disable), messages, and each
 * message's delivery life (parked → failed attempts → success, or → dead letter), plus breaker changes.
 */
export function workload(tenantCount: number, messagesPerTenant: number, start = Date.now() - 600_000): Workload {
  const events: Envelope[] = [];
  let attempts = 0;
  for (let t = 0; t < tenantCount; t++) {
    const tenant = newId('tenant') as TenantId;
    const endpoints = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
    events.push(fixtures.tenantCreated(tenant, t % 2 ? 7 : 0), fixtures.apiKeyCreated(tenant, `hk_workload_${tenant}`),
      fixtures.eventTypeCreated(tenant, 'invoice.paid'), ...endpoints.map((e) => fixtures.endpointCreated(tenant, e)),
      fixtures.endpointDisabled(tenant, endpoints[1], 2));
    for (let m = 0; m < messagesPerTenant; m++) {
      const message = newId('message') as MessageId;
      const at = start + m * 10;
      events.push(fixtures.messagePublished(tenant, { messageId: message, at: new Date(at), channels: [`ch${m % 4}`] }));
      const endpoint = endpoints[m % 2];
      const fate = m % 4;
      if (fate === 0) events.push(fixtures.parked(tenant, message, endpoint, new Date(at + 1)));
      events.push(fixtures.attempted(tenant, message, endpoint, 1, fate === 1 ? 'succeeded' : 'retrying',
        { at: new Date(at + 2), latencyMs: 20 + (m % 50) * 7 }));
      attempts += 1;
      if (fate >= 2) {
        events.push(fixtures.attempted(tenant, message, endpoint, 2, fate === 2 ? 'succeeded' : 'retrying', { at: new Date(at + 3), latencyMs: 900 }));
        attempts += 1;
      }
      if (fate === 3) events.push(fixtures.deadLettered(tenant, message, endpoint, 2, new Date(at + 4)));
    }
    events.push(fixtures.breakerChanged(tenant, endpoints[0], 'open'), fixtures.breakerChanged(tenant, endpoints[0], 'closed'));
  }
  return { events, messages: tenantCount * messagesPerTenant, attempts };
}
