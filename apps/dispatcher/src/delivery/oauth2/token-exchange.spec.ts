import { OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { DEFAULT_TOKEN_LIFETIME_MS, readTokenAnswer, refreshAt, tokenRequest } from './token-exchange';

const auth = (overrides: Partial<OAuth2ClientCredentialsV1> = {}): OAuth2ClientCredentialsV1 => ({
  type: 'oauth2_client_credentials', token_url: 'https://auth.example.com/token', client_id: 'hook line:1', client_secret_sealed: 'enc:v1:x',
  scope: null, audience: null, client_auth: 'basic', ...overrides,
});

describe('OAuth 2.0 client-credentials token exchange', () => {
  it('sends the client in HTTP Basic, each part form-encoded first (RFC 6749 §2.3.1), and only the grant in the form', () => {
    const req = tokenRequest(auth(), 's3cr+t/é', 'Hookline/1.0');
    const [id, secret] = Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
    expect(id).toBe('hook+line%3A1');
    expect(secret).toBe('s3cr%2Bt%2F%C3%A9');
    expect(decodeURIComponent(secret.replace(/\+/g, ' '))).toBe('s3cr+t/é');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'client_credentials' });
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers['user-agent']).toBe('Hookline/1.0');
  });

  it('puts the client in the form instead when configured so, with scope and audience when set', () => {
    const req = tokenRequest(auth({ client_auth: 'body', scope: 'hooks:write orders:read', audience: 'https://api.example.com' }), 'pw', 'ua');
    expect(req.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: 'client_credentials', client_id: 'hook line:1', client_secret: 'pw', scope: 'hooks:write orders:read', audience: 'https://api.example.com',
    });
  });

  it('reads a bearer token and when it expires; without expires_in it assumes the default lifetime', () => {
    expect(readTokenAnswer(200, JSON.stringify({ access_token: 'tok', token_type: 'Bearer', expires_in: 3600 }), 1_000)).toEqual({
      ok: true, accessToken: 'tok', expiresAt: 1_000 + 3_600_000,
    });
    expect(readTokenAnswer(200, JSON.stringify({ access_token: 'tok', token_type: 'bearer' }), 0)).toEqual({ ok: true, accessToken: 'tok', expiresAt: DEFAULT_TOKEN_LIFETIME_MS });
    expect(readTokenAnswer(200, JSON.stringify({ access_token: 'tok', expires_in: '60' }), 0)).toMatchObject({ ok: true, expiresAt: 60_000 });
  });

  it('turns an RFC 6749 §5.2 error answer into a message with the status and the provider\'s reason', () => {
    expect(readTokenAnswer(401, JSON.stringify({ error: 'invalid_client', error_description: 'unknown client' }), 0)).toEqual({
      ok: false, message: 'token endpoint answered HTTP 401 invalid_client: unknown client',
    });
    expect(readTokenAnswer(503, '<html>down</html>', 0)).toEqual({ ok: false, message: 'token endpoint answered HTTP 503' });
  });

  it('refuses answers that are not a usable bearer token', () => {
    expect(readTokenAnswer(200, 'not json', 0)).toMatchObject({ ok: false, message: expect.stringContaining('without a JSON object') });
    expect(readTokenAnswer(200, '{}', 0)).toMatchObject({ ok: false, message: expect.stringContaining('no access_token') });
    expect(readTokenAnswer(200, JSON.stringify({ access_token: 'a', token_type: 'mac' }), 0)).toMatchObject({ ok: false, message: expect.stringContaining('only bearer') });
    expect(readTokenAnswer(200, JSON.stringify({ access_token: 'a\r\nx-injected: 1' }), 0)).toMatchObject({ ok: false, message: expect.stringContaining('not a valid header value') });
  });

  it('refreshes a token a tenth of its lifetime before it expires, but never more than a minute early', () => {
    expect(refreshAt(0, 100_000)).toBe(90_000);
    expect(refreshAt(0, 3_600_000)).toBe(3_540_000);
  });
});
