import { EndpointState, initialEndpointState } from '@hookline/domain';
import { EndpointEntity } from '../database/read-model/entities';
import { endpointView } from './endpoint-view';

const row = Object.assign(new EndpointEntity(), {
  endpoint_id: 'ep_1', tenant_id: 'tnt_1', url: 'https://a.example/h', description: '', event_types: null, channels: ['eu'], status: 'enabled',
  disabled_reason: null, disabled_detail: null, fifo: false, metadata: { team: 'billing' }, version: 3,
  created_at: new Date('2026-01-01T00:00:00Z'), updated_at: new Date('2026-01-02T00:00:00Z'),
});

describe('endpoint view', () => {
  it('shows the settings from the folded state, with every credential redacted', () => {
    const state: EndpointState = {
      ...initialEndpointState(), status: 'active', deliveryStatus: 'enabled',
      settings: { ...initialEndpointState().settings, url: 'https://a.example/h', headers: { Authorization: 'Bearer static', 'X-Session-Token': 't', 'X-Team': 'b' },
        rate_limit_per_second: 5, filter: { 'data.amount': { $gt: 1 } }, auto_disable_after_hours: 0, circuit_breaker: { failure_ratio: 0.2, open_seconds: 30 },
        transformation: '{ "text": "Invoice " & data.id & " paid" }',
        auth: { type: 'oauth2_client_credentials', token_url: 'https://auth/t', client_id: 'c', client_secret_sealed: 'enc:v1:s', scope: null, audience: 'x', client_auth: 'body' },
        client_certificate: { cert_pem: 'PEM', key_sealed: 'enc:v1:k', fingerprint_sha256: 'AA', not_after: '2027-01-01T00:00:00.000Z' } },
      secrets: [{ secret_id: 'sec_1', kind: 'ed25519', sealed: 'enc:v1:x', public_key: 'whpk_1', created_at: '2026-01-01T00:00:00.000Z', expires_at: null }],
    } as unknown as EndpointState;
    const view = endpointView(row, state);
    expect(view).toMatchObject({
      id: 'ep_1', channels: ['eu'], event_types: null, metadata: { team: 'billing' }, rate_limit_per_second: 5, filter: { 'data.amount': { $gt: 1 } },
      auto_disable_after_hours: 0, circuit_breaker: { failure_ratio: 0.2, open_seconds: 30 },
      transformation: '{ "text": "Invoice " & data.id & " paid" }', headers: { Authorization: '****', 'X-Session-Token': '****', 'X-Team': 'b' },
      auth: { type: 'oauth2_client_credentials', token_url: 'https://auth/t', client_id: 'c', scope: null, audience: 'x', client_auth: 'body' },
      client_certificate: { fingerprint_sha256: 'AA', not_after: '2027-01-01T00:00:00.000Z' },
      secrets: [{ secret_id: 'sec_1', kind: 'ed25519', public_key: 'whpk_1', created_at: '2026-01-01T00:00:00.000Z', expires_at: null }],
      created_at: '2026-01-01T00:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toMatch(/enc:v1|PEM|Bearer static/);
  });

  it("shows Kafka SASL auth by its mechanism and user name, never its password", () => {
    const state = {
      ...initialEndpointState(), status: 'active',
      settings: { ...initialEndpointState().settings, url: 'kafka+tls://b.example.com:9093/orders',
        auth: { type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline', password_sealed: 'enc:v1:pw' } },
    } as EndpointState;
    const view = endpointView({ ...row, url: 'kafka+tls://b.example.com:9093/orders' }, state);
    expect(view.auth).toEqual({ type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline' });
    expect(JSON.stringify(view)).not.toMatch(/enc:v1|password/);
  });

  it("shows an AMQP login's user name, never its sealed password", () => {
    const url = 'amqps://rabbit.example.com?exchange=x';
    const state = {
      ...initialEndpointState(), status: 'active',
      settings: { ...initialEndpointState().settings, url, auth: { type: 'amqp_plain', username: 'hookline', password_sealed: 'enc:v1:pw' } },
    } as EndpointState;
    const view = endpointView({ ...row, url }, state);
    expect(view.auth).toEqual({ type: 'amqp_plain', username: 'hookline' });
    expect(JSON.stringify(view)).not.toMatch(/enc:v1|password/);
  });

  it('still answers from the row alone when the state is missing', () => {
    expect(endpointView(row, null)).toMatchObject({ id: 'ep_1', headers: {}, secrets: [], auth: null, client_certificate: null, filter: null,
      auto_disable_after_hours: null, circuit_breaker: null, transformation: null });
  });

  it('shows which types needing approval an endpoint of every type awaits approval for', () => {
    const state = { ...initialEndpointState(), status: 'active', approvedEventTypes: ['payout.sent'] } as EndpointState;
    expect(endpointView(row, state, ['kyc.passed', 'payout.sent']).event_types_awaiting_approval).toEqual(['kyc.passed']);
    const listing = { ...state, settings: { ...state.settings, event_types: ['kyc.passed'] } };
    expect(endpointView({ ...row, event_types: ['kyc.passed'] }, listing, ['kyc.passed']).event_types_awaiting_approval).toEqual([]);
  });

  it('shows the types declined for an endpoint of every type apart from those it awaits, while they need approval', () => {
    const state = { ...initialEndpointState(), status: 'active', approvedEventTypes: [], declinedEventTypes: ['payout.sent', 'loan.granted'] } as EndpointState;
    expect(endpointView(row, state, ['kyc.passed', 'payout.sent'])).toMatchObject({ event_types_awaiting_approval: ['kyc.passed'], declined_event_types: ['payout.sent'] });
    expect(endpointView(row, null, ['payout.sent'])).toMatchObject({ event_types_awaiting_approval: [], declined_event_types: [] });
  });
});
