import { SourceSettingsV1 } from '@hookline/contracts';
import { shownHandshake, shownSourceSettings, shownVerification } from './source-credentials';

describe('what the read side shows of an HTTP source', () => {
  it.each([
    [{ type: 'standard_webhooks', secret_sealed: 'enc:v1:a', tolerance_seconds: 300 }, { type: 'standard_webhooks', tolerance_seconds: 300 }],
    [{ type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: 'enc:v1:b' },
      { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }],
    [{ type: 'stripe', secret_sealed: 'enc:v1:c', tolerance_seconds: 600 }, { type: 'stripe', tolerance_seconds: 600 }],
    [{ type: 'basic_auth', username: 'acme', password_sealed: 'enc:v1:d' }, { type: 'basic_auth', username: 'acme' }],
    [{ type: 'api_key', header: 'x-api-key', key_sealed: 'enc:v1:e' }, { type: 'api_key', header: 'x-api-key' }],
    [{ type: 'none' }, { type: 'none' }],
    [{ type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', secret_sealed: 'enc:v1:h', tolerance_seconds: 300 },
      { type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', tolerance_seconds: 300 }],
  ] as const)('shows %j as %j', (verification, shown) => {
    expect(shownVerification(verification)).toEqual(shown);
  });

  it('shows a verification scheme it does not know by its type only', () => {
    expect(shownVerification({ type: 'mtls', ca_sealed: 'enc:v1:f' } as never)).toEqual({ type: 'mtls' });
  });

  it('shows the settings the contract lists and no other field (one added later could be sealed)', () => {
    const settings = { name: 'stripe', description: '', verification: { type: 'stripe', secret_sealed: 'enc:v1:g', tolerance_seconds: 300 },
      event_type: { from: 'field', path: 'type' }, idempotency: null, payload_field: 'data.object', channels: ['billing'], enabled: false,
      signing_key_sealed: 'enc:v1:later' } as SourceSettingsV1;
    expect(shownSourceSettings(settings)).toEqual({ name: 'stripe', description: '', verification: { type: 'stripe', tolerance_seconds: 300 },
      event_type: { from: 'field', path: 'type' }, idempotency: null, payload_field: 'data.object', channels: ['billing'], enabled: false,
      handshake: null, rate_limit: null });
  });

  it('shows a rate limit by its two figures, and none as null whether absent or null', () => {
    const settings = { name: 'github', description: '', verification: { type: 'none' }, event_type: { from: 'fixed', event_type: 'push' }, idempotency: null,
      payload_field: null, channels: null, enabled: true } as SourceSettingsV1;
    expect(shownSourceSettings({ ...settings, rate_limit: { per_second: 5, burst: 20 } }).rate_limit).toEqual({ per_second: 5, burst: 20 });
    expect(shownSourceSettings({ ...settings, rate_limit: null }).rate_limit).toBeNull();
    expect(shownSourceSettings(settings).rate_limit).toBeNull();
  });

  it('shows a handshake by its kind only (Meta\'s verify token is sealed), and none as null whether absent or null', () => {
    expect(shownHandshake({ type: 'meta', verify_token_sealed: 'enc:v1:token' })).toEqual({ type: 'meta' });
    expect(shownHandshake({ type: 'slack' })).toEqual({ type: 'slack' });
    expect(shownHandshake(null)).toBeNull();
    expect(shownHandshake(undefined)).toBeNull();
  });
});
