import { SourceSettingsV1 } from '@hookline/contracts';
import { shownSourceSettings, shownVerification } from './source-credentials';

describe('what the read side shows of an HTTP source', () => {
  it.each([
    [{ type: 'standard_webhooks', secret_sealed: 'enc:v1:a', tolerance_seconds: 300 }, { type: 'standard_webhooks', tolerance_seconds: 300 }],
    [{ type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: 'enc:v1:b' },
      { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }],
    [{ type: 'stripe', secret_sealed: 'enc:v1:c', tolerance_seconds: 600 }, { type: 'stripe', tolerance_seconds: 600 }],
    [{ type: 'basic_auth', username: 'acme', password_sealed: 'enc:v1:d' }, { type: 'basic_auth', username: 'acme' }],
    [{ type: 'api_key', header: 'x-api-key', key_sealed: 'enc:v1:e' }, { type: 'api_key', header: 'x-api-key' }],
    [{ type: 'none' }, { type: 'none' }],
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
      event_type: { from: 'field', path: 'type' }, idempotency: null, payload_field: 'data.object', channels: ['billing'], enabled: false });
  });
});
