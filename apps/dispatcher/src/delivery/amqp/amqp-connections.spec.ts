import { AmqpDestination, parseAmqpUrl } from '@hookline/net-guard';
import { connectionKey } from './amqp-connections';

const destination = (url: string): AmqpDestination => (parseAmqpUrl(url) as { destination: AmqpDestination }).destination;
const login = (over: Partial<{ username: string; password_sealed: string }> = {}) =>
  ({ type: 'amqp_plain' as const, username: 'hookline', password_sealed: 'enc:v1:pw', ...over });
const certificate = { cert_pem: 'c', key_sealed: 'k', fingerprint_sha256: 'AA:BB', not_after: '2030-01-01T00:00:00.000Z' };

describe('the key of an AMQP connection', () => {
  const base = destination('amqps://rabbit.example.com/orders?exchange=a');

  it('is shared by every exchange and routing key on one broker and vhost as one identity', () => {
    expect(connectionKey(destination('amqps://rabbit.example.com/orders?exchange=b&routing_key=k'), {})).toBe(connectionKey(base, {}));
  });

  it('differs by TLS, host, port, vhost, certificate, user name and password, so no endpoint publishes as another one logged in', () => {
    const keys = [
      connectionKey(base, {}), connectionKey(destination('amqp://rabbit.example.com/orders?exchange=a'), {}),
      connectionKey(destination('amqps://other.example.com/orders?exchange=a'), {}), connectionKey(destination('amqps://rabbit.example.com:5000/orders?exchange=a'), {}),
      connectionKey(destination('amqps://rabbit.example.com/billing?exchange=a'), {}), connectionKey(base, { certificate }),
      connectionKey(base, { login: login() }), connectionKey(base, { login: login({ username: 'other' }) }), connectionKey(base, { login: login({ password_sealed: 'enc:v1:changed' }) }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never carries the sealed password itself, and cannot be made to read alike by a user name', () => {
    expect(connectionKey(base, { login: login() })).not.toContain('enc:v1:pw');
    expect(connectionKey(base, { login: login({ username: 'a","b' }) })).not.toBe(connectionKey(base, { login: login({ username: 'a', password_sealed: 'b' }) }));
  });
});
