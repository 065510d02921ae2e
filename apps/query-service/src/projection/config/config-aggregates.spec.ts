import { EndpointId, EventOf, ConfigEvent, SourceId, TenantId, newId } from '@hookline/contracts';
import { fixtures } from '../../testing/event-fixtures';
import { aggregateOf, auditView, emptyAggregate, evolveAggregate } from './config-aggregates';

const tenant = newId('tenant') as TenantId;
const endpoint = newId('endpoint') as EndpointId;
const source = newId('source') as SourceId;

describe('config aggregates', () => {
  it('keys every config event by its aggregate and ignores the other events', () => {
    expect(aggregateOf(fixtures.endpointCreated(tenant, endpoint))).toEqual({ kind: 'endpoint', id: endpoint, key: `endpoint:${endpoint}` });
    expect(aggregateOf(fixtures.eventTypeCreated(tenant, 'a.b'))).toEqual({ kind: 'event_type', id: 'a.b', key: `event_type:${tenant}:a.b` });
    expect(aggregateOf(fixtures.sourceDeleted(tenant, source, 2))).toEqual({ kind: 'source', id: source, key: `source:${tenant}:${source}` });
    expect(aggregateOf(fixtures.breakerChanged(tenant, endpoint, 'open'))).toBeNull();
    expect(aggregateOf(fixtures.messagePublished(tenant))).toBeNull();
  });

  it('given an endpoint created then disabled, then the audit shows before/after without sealed secrets', () => {
    const created = evolveAggregate(emptyAggregate('endpoint', tenant), fixtures.endpointCreated(tenant, endpoint) as EventOf<ConfigEvent>);
    const disabled = evolveAggregate(created, fixtures.endpointDisabled(tenant, endpoint, 2) as EventOf<ConfigEvent>);
    expect(auditView(emptyAggregate('endpoint', tenant))).toBeNull();
    expect(auditView(disabled)).toMatchObject({ deliveryStatus: 'disabled', disabledReason: 'manual', version: 2 });
    expect(disabled.disabled_detail).toBe('paused by test');
    expect(JSON.stringify(auditView(created))).not.toContain('enc:v1');
  });

  it('given an endpoint with OAuth 2.0 auth and a client certificate, then the audit shows the token URL, client and certificate fingerprint but no sealed secret or key', () => {
    const event = fixtures.endpointCreated(tenant, endpoint) as EventOf<ConfigEvent> & { data: { auth?: unknown; client_certificate?: unknown } };
    event.data.auth = { type: 'oauth2_client_credentials', token_url: 'https://auth.example.com/token', client_id: 'hookline',
      client_secret_sealed: 'enc:v1:client-secret', scope: 'hooks', audience: null, client_auth: 'basic' };
    event.data.client_certificate = { cert_pem: '-----BEGIN CERTIFICATE-----', key_sealed: 'enc:v1:client-key', fingerprint_sha256: 'AB:CD', not_after: '2027-01-01T00:00:00.000Z' };
    const view = auditView(evolveAggregate(emptyAggregate('endpoint', tenant), event)) as { settings: { auth: Record<string, unknown>; client_certificate: unknown } };
    expect(JSON.parse(JSON.stringify(view.settings.auth))).toEqual({ type: 'oauth2_client_credentials', token_url: 'https://auth.example.com/token',
      client_id: 'hookline', scope: 'hooks', audience: null, client_auth: 'basic' });
    expect(view.settings.client_certificate).toEqual({ fingerprint_sha256: 'AB:CD', not_after: '2027-01-01T00:00:00.000Z' });
    expect(JSON.stringify(view)).not.toContain('enc:v1');
  });

  it('never puts an API key hash in the audit view', () => {
    const key = evolveAggregate(emptyAggregate('api_key', tenant), fixtures.apiKeyCreated(tenant, 'hk_secret') as EventOf<ConfigEvent>);
    expect(JSON.stringify(auditView(key))).not.toMatch(/keyHash|[0-9a-f]{64}/);
  });

  it('given a source created then re-verified, then the audit shows both verifications without their sealed secrets', () => {
    const created = evolveAggregate(emptyAggregate('source', tenant), fixtures.sourceCreated(tenant, source) as EventOf<ConfigEvent>);
    const updated = evolveAggregate(created, fixtures.sourceUpdated(tenant, source, 2, {
      enabled: false, verification: { type: 'basic_auth', username: 'acme', password_sealed: 'enc:v1:password' } }) as EventOf<ConfigEvent>);
    expect(auditView(created)).toMatchObject({ status: 'active', version: 1, settings: { verification: { type: 'standard_webhooks', tolerance_seconds: 300 } } });
    expect(auditView(updated)).toMatchObject({ version: 2, settings: { enabled: false, verification: { type: 'basic_auth', username: 'acme' } } });
    for (const view of [auditView(created), auditView(updated)]) expect(JSON.stringify(view)).not.toMatch(/enc:v1|_sealed/);
  });
});
