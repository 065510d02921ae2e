import { sealedHandshake, sealedVerification, sourceInputProblems, sourceRateLimit, withoutSealed } from './source-input';

const seal = (plain: string) => `sealed:${plain}`;

describe('an HTTP source\'s settings as sent', () => {
  it('expands the github and shopify presets to hmac, and seals every secret', () => {
    expect(sealedVerification({ type: 'github', secret: 's' }, seal))
      .toEqual({ type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: 'sealed:s' });
    expect(sealedVerification({ type: 'shopify', secret: 's' }, seal))
      .toEqual({ type: 'hmac', header: 'x-shopify-hmac-sha256', algorithm: 'sha256', encoding: 'base64', prefix: '', secret_sealed: 'sealed:s' });
    expect(sealedVerification({ type: 'stripe', secret: 'whsec_x' }, seal)).toEqual({ type: 'stripe', secret_sealed: 'sealed:whsec_x', tolerance_seconds: 300 });
    expect(sealedVerification({ type: 'api_key', header: 'X-Api-Key', key: 'k' }, seal)).toEqual({ type: 'api_key', header: 'x-api-key', key_sealed: 'sealed:k' });
    expect(sealedVerification({ type: 'basic_auth', username: 'u', password: 'p' }, seal)).toEqual({ type: 'basic_auth', username: 'u', password_sealed: 'sealed:p' });
  });

  it('expands the slack and zoom presets to v0_hmac, with their headers and the default tolerance', () => {
    expect(sealedVerification({ type: 'slack', secret: 's' }, seal))
      .toEqual({ type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', secret_sealed: 'sealed:s', tolerance_seconds: 300 });
    expect(sealedVerification({ type: 'zoom', secret: 'z', tolerance_seconds: 60 }, seal))
      .toEqual({ type: 'v0_hmac', header: 'x-zm-signature', timestamp_header: 'x-zm-request-timestamp', secret_sealed: 'sealed:z', tolerance_seconds: 60 });
    expect(sealedVerification({ type: 'v0_hmac', header: 'X-Sig', timestamp_header: 'X-Sig-Time', secret: 'v' }, seal))
      .toEqual({ type: 'v0_hmac', header: 'x-sig', timestamp_header: 'x-sig-time', secret_sealed: 'sealed:v', tolerance_seconds: 300 });
  });

  it('seals Meta\'s verify token; other handshakes have nothing to seal, and null is none', () => {
    expect(sealedHandshake({ type: 'meta', verify_token: 'vt' }, seal)).toEqual({ type: 'meta', verify_token_sealed: 'sealed:vt' });
    expect(sealedHandshake({ type: 'slack' }, seal)).toEqual({ type: 'slack' });
    expect(sealedHandshake(null, seal)).toBeNull();
  });

  it('never shows a secret in answers', () => {
    expect(withoutSealed({ type: 'basic_auth', username: 'u', password_sealed: 'enc:v1:x' })).toEqual({ type: 'basic_auth', username: 'u' });
    expect(withoutSealed({ type: 'meta', verify_token_sealed: 'enc:v1:y' })).toEqual({ type: 'meta' });
  });

  it('names each offending field', () => {
    expect(sourceInputProblems({ verification: { type: 'standard_webhooks', secret: 'plain' } }))
      .toEqual([{ pointer: '/verification/secret', detail: 'a Standard Webhooks secret is a whsec_ secret' }]);
    expect(sourceInputProblems({ verification: { type: 'standard_webhooks', secret: 'whsec_short' } })).toEqual([{ pointer: '/verification/secret', detail: expect.any(String) }]);
    expect(sourceInputProblems({ verification: { type: 'hmac', header: 'x-sig', algorithm: 'md5', encoding: 'hex', secret: 's' } }))
      .toEqual([expect.objectContaining({ pointer: '/verification/algorithm' })]);
    expect(sourceInputProblems({ verification: { type: 'github', secret: 's', extra: 1 } })).toEqual([{ pointer: '/verification/extra', detail: 'is not a field of verification' }]);
    expect(sourceInputProblems({ verification: { type: 'magic' } })).toEqual([expect.objectContaining({ pointer: '/verification/type' })]);
    expect(sourceInputProblems({ event_type: { from: 'header' } })).toEqual([{ pointer: '/event_type/header', detail: 'is required' }]);
    expect(sourceInputProblems({ idempotency: { from: 'fixed', event_type: 'x' } })).toEqual([expect.objectContaining({ pointer: '/idempotency/from' })]);
    expect(sourceInputProblems({ idempotency: null, event_type: { from: 'fixed', event_type: 'ping' }, verification: { type: 'none' } })).toEqual([]);
    expect(sourceInputProblems({ handshake: { type: 'meta' } })).toEqual([{ pointer: '/handshake/verify_token', detail: 'is required' }]);
    expect(sourceInputProblems({ handshake: { type: 'slack', challenge: 'x' } })).toEqual([{ pointer: '/handshake/challenge', detail: 'is not a field of handshake' }]);
    expect(sourceInputProblems({ handshake: { type: 'teams' } })).toEqual([expect.objectContaining({ pointer: '/handshake/type' })]);
    expect(sourceInputProblems({ handshake: null, verification: { type: 'slack', secret: 's' } })).toEqual([]);
  });

  it('holds a rate limit to whole requests from 1 to 100000, naming the field; null is none', () => {
    expect(sourceInputProblems({ rate_limit: { per_second: 2, burst: 2 } })).toEqual([]);
    expect(sourceInputProblems({ rate_limit: null })).toEqual([]);
    expect(sourceInputProblems({ rate_limit: { per_second: 0 } })).toEqual([{ pointer: '/rate_limit/per_second', detail: 'must be >= 1' }]);
    expect(sourceInputProblems({ rate_limit: { per_second: 2, burst: -1 } })).toEqual([{ pointer: '/rate_limit/burst', detail: 'must be >= 1' }]);
    expect(sourceInputProblems({ rate_limit: { per_second: 1.5 } })).toEqual([{ pointer: '/rate_limit/per_second', detail: 'must be integer' }]);
    expect(sourceInputProblems({ rate_limit: { per_second: 100_001 } })).toEqual([{ pointer: '/rate_limit/per_second', detail: 'must be <= 100000' }]);
    expect(sourceInputProblems({ rate_limit: { burst: 5 } })).toEqual([{ pointer: '/rate_limit/per_second', detail: 'is required' }]);
    expect(sourceInputProblems({ rate_limit: { per_second: 1, window: 60 } })).toEqual([{ pointer: '/rate_limit/window', detail: 'is not a field of rate_limit' }]);
  });

  it('writes a rate limit\'s burst out: per_second when left out', () => {
    expect(sourceRateLimit({ per_second: 5 })).toEqual({ per_second: 5, burst: 5 });
    expect(sourceRateLimit({ per_second: 5, burst: 20 })).toEqual({ per_second: 5, burst: 20 });
    expect(sourceRateLimit(null)).toBeNull();
  });
});
