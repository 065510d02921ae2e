import { createAddressPolicy } from '@hookline/net-guard';
import { authHeaderProblems, authUrlProblems, endpointAuthProblems, isOAuth2, sealedEndpointAuth } from './endpoint-auth';

const strict = { allowHttp: false, policy: createAddressPolicy() };
const input = { type: 'oauth2_client_credentials' as const, token_url: 'https://AUTH.example.com:443/oauth/token', client_id: 'hookline', client_secret: 'pw' };

describe('endpoint auth (OAuth 2.0 client credentials, Kafka SASL)', () => {
  it('accepts complete settings and no auth at all', () => {
    expect(endpointAuthProblems(input, strict)).toEqual([]);
    expect(endpointAuthProblems({ ...input, scope: 'a b', audience: 'https://api', client_auth: 'body' }, strict)).toEqual([]);
    expect(endpointAuthProblems(undefined, strict)).toEqual([]);
    expect(endpointAuthProblems(null, strict)).toEqual([]);
  });

  it('holds the token URL to the endpoint URL rules: https, no credentials in it, an allowed host', () => {
    const pointers = (token_url: string) => endpointAuthProblems({ ...input, token_url }, strict).map((p) => `${p.pointer}: ${p.detail}`);
    expect(pointers('http://auth.example.com/token')).toEqual([expect.stringMatching(/^\/auth\/token_url: token URL must use https/)]);
    expect(pointers('https://user:pw@auth.example.com/token')).toEqual([expect.stringMatching(/must not contain a user name or password/)]);
    expect(pointers('https://169.254.169.254/token')).toEqual([expect.stringMatching(/^\/auth\/token_url: token URL host 169\.254\.169\.254 is not allowed/)]);
  });

  it('names every wrong field, unknown ones included, and refuses a value that is not an object', () => {
    expect(endpointAuthProblems([], strict)).toEqual([{ pointer: '/auth', detail: 'must be an object or null' }]);
    expect(endpointAuthProblems({ type: 'basic', client_id: 'a\nb', client_secret: 'x'.repeat(1025), scope: 5, extra: 1 }, strict).map((p) => p.pointer)).toEqual([
      '/auth/extra', '/auth/type', '/auth/token_url', '/auth/client_id', '/auth/client_secret', '/auth/scope',
    ]);
  });

  it('refuses auth next to a Kafka destination URL (it gets records, not HTTP requests), and a Kafka token URL', () => {
    expect(authUrlProblems('kafka+tls://b1.example.com:9093/orders', input, strict)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^OAuth 2\.0 auth needs an https endpoint URL; a Kafka destination gets records/) },
    ]);
    expect(authUrlProblems('kafka://127.0.0.1:9092/orders', input, { allowHttp: true })).toHaveLength(1);
    expect(authUrlProblems('kafka+tls://b1.example.com:9093/orders', null, strict)).toEqual([]);
    expect(authUrlProblems('https://example.com/hooks', input, strict)).toEqual([]);
    expect(endpointAuthProblems({ ...input, token_url: 'kafka+tls://b1.example.com:9093/tokens' }, strict)).toEqual([
      { pointer: '/auth/token_url', detail: 'token URL must use https, not kafka+tls' },
    ]);
  });

  it('takes kafka_sasl auth as its own kind, judged by its own rules and only next to a Kafka URL', () => {
    const sasl = { type: 'kafka_sasl', mechanism: 'plain', username: 'hookline', password: 'pw' };
    expect(endpointAuthProblems(sasl, strict)).toEqual([]);
    expect(endpointAuthProblems({ ...sasl, token_url: 'https://auth.example.com/token' }, strict)).toEqual([{ pointer: '/auth/token_url', detail: 'is not a field of kafka_sasl auth' }]);
    expect(authUrlProblems('kafka+tls://b1.example.com:9093/orders', sasl, strict)).toEqual([]);
    expect(authUrlProblems('https://example.com/hooks', sasl, strict)).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth needs a Kafka endpoint URL/) }]);
    expect(isOAuth2(sasl)).toBe(false);
    expect(isOAuth2(input)).toBe(true);
    expect(sealedEndpointAuth({ type: 'kafka_sasl', mechanism: 'plain', username: 'hookline', password: 'pw' }, strict, (plain) => `sealed(${plain})`)).toEqual({
      type: 'kafka_sasl', mechanism: 'plain', username: 'hookline', password_sealed: 'sealed(pw)',
    });
  });

  it('takes amqp_plain auth as its own kind, only next to an AMQP URL, and refuses OAuth 2.0 next to one', () => {
    const login = { type: 'amqp_plain', username: 'hookline', password: 'pw' };
    expect(endpointAuthProblems(login, strict)).toEqual([]);
    expect(endpointAuthProblems({ ...login, mechanism: 'plain' }, strict)).toEqual([{ pointer: '/auth/mechanism', detail: 'is not a field of amqp_plain auth' }]);
    expect(authUrlProblems('amqps://rabbit.example.com?exchange=x', login, strict)).toEqual([]);
    expect(authUrlProblems('kafka+tls://b1.example.com:9093/orders', login, strict)).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^amqp_plain auth needs an AMQP endpoint URL/) }]);
    expect(authUrlProblems('amqps://rabbit.example.com?exchange=x', input, strict)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^OAuth 2\.0 auth needs an https endpoint URL; an AMQP destination gets messages/) },
    ]);
    expect(authUrlProblems('amqps://rabbit.example.com?exchange=x', { type: 'kafka_sasl' }, strict)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth needs a Kafka endpoint URL/) },
    ]);
    expect(endpointAuthProblems({ type: 'basic', username: 'u' }, strict)).toContainEqual({ pointer: '/auth/type', detail: 'must be "oauth2_client_credentials", "kafka_sasl" or "amqp_plain"' });
    expect(sealedEndpointAuth({ type: 'amqp_plain', username: 'hookline', password: 'pw' }, strict, (plain) => `sealed(${plain})`)).toEqual({
      type: 'amqp_plain', username: 'hookline', password_sealed: 'sealed(pw)',
    });
  });

  it('refuses a custom Authorization header only when the endpoint has auth', () => {
    expect(authHeaderProblems({ AUTHORIZATION: 'x', 'x-api-key': 'y' }, true)).toEqual([expect.objectContaining({ pointer: '/headers/AUTHORIZATION' })]);
    expect(authHeaderProblems({ authorization: 'x' }, false)).toEqual([]);
  });

  it('stores the normalised token URL, the sealed secret and the defaults', () => {
    expect(sealedEndpointAuth(input, strict, (plain) => `sealed(${plain})`)).toEqual({
      type: 'oauth2_client_credentials', token_url: 'https://auth.example.com/oauth/token', client_id: 'hookline', client_secret_sealed: 'sealed(pw)',
      scope: null, audience: null, client_auth: 'basic',
    });
  });
});
