import { createAddressPolicy } from '../policy/address-policy';
import { isAmqpUrl, parseAmqpUrl } from './amqp-url';
import { checkEndpointUrl } from './check-endpoint-url';

const errorsOf = (url: string) => {
  const result = parseAmqpUrl(url);
  return result.ok ? [] : result.errors;
};

describe('parseAmqpUrl', () => {
  it('tells AMQP destination URLs from others', () => {
    expect(['amqp://h?exchange=x', 'AMQPS://h?exchange=x'].map(isAmqpUrl)).toEqual([true, true]);
    expect(['https://h/x', 'amqp+tls://h', 'kafka://h:1/t', ' amqp://h'].map(isAmqpUrl)).toEqual([false, false, false, false]);
  });

  it('reads host, default ports, vhost, exchange and routing key, and returns the normalised URL', () => {
    expect(parseAmqpUrl('AMQPS://Rabbit.Example.COM/orders?exchange=webhooks')).toEqual({
      ok: true, url: 'amqps://rabbit.example.com/orders?exchange=webhooks',
      destination: { tls: true, host: 'rabbit.example.com', port: 5671, vhost: 'orders', exchange: 'webhooks', routingKey: null },
    });
    expect(parseAmqpUrl('amqp://127.0.0.1:5673?exchange=amq.topic&routing_key=invoice.paid')).toEqual({
      ok: true, url: 'amqp://127.0.0.1:5673?exchange=amq.topic&routing_key=invoice.paid',
      destination: { tls: false, host: '127.0.0.1', port: 5673, vhost: '/', exchange: 'amq.topic', routingKey: 'invoice.paid' },
    });
    expect(parseAmqpUrl('amqp://h/?exchange=x')).toMatchObject({ ok: true, destination: { vhost: '/', port: 5672 } });
  });

  it('decodes a percent-encoded vhost (%2F is the vhost named "/") and keeps it encoded in the normalised URL', () => {
    expect(parseAmqpUrl('amqps://h/%2F?exchange=x')).toMatchObject({ ok: true, url: 'amqps://h?exchange=x', destination: { vhost: '/' } });
    expect(parseAmqpUrl('amqps://h/team%2Fa?exchange=x')).toMatchObject({ ok: true, url: 'amqps://h/team%2Fa?exchange=x', destination: { vhost: 'team/a' } });
  });

  it('normalises IP literals as an https host is, IPv6 included', () => {
    expect(parseAmqpUrl('amqp://2130706433?exchange=x')).toMatchObject({ destination: { host: '127.0.0.1' } });
    expect(parseAmqpUrl('amqps://[2606:4700::1]:5671?exchange=x')).toMatchObject({
      ok: true, url: 'amqps://[2606:4700::1]:5671?exchange=x', destination: { host: '2606:4700::1', port: 5671 },
    });
  });

  it("refuses credentials in the URL, which travels in the clear: they are the endpoint's amqp_plain auth", () => {
    expect(errorsOf('amqps://user:secret@h?exchange=x')).toEqual([
      "AMQP destination URL must not contain a user name or password (give them as the endpoint's auth, type amqp_plain)",
    ]);
    expect(errorsOf('amqps://user@h?exchange=x')).toHaveLength(1);
  });

  it('needs an exchange of the AMQP grammar, and takes no other query parameter', () => {
    expect(errorsOf('amqps://h/v')).toEqual(['AMQP destination URL must name the exchange to publish to: ?exchange=<name> (expected e.g. amqps://rabbit.example.com/orders?exchange=webhooks)']);
    expect(errorsOf('amqps://h?exchange=')).toHaveLength(1);
    expect(errorsOf('amqps://h?exchange=a%20b')[0]).toMatch(/exchange "a b" must be 1 to 255 characters/);
    expect(errorsOf(`amqps://h?exchange=${'e'.repeat(256)}`)).toHaveLength(1);
    expect(errorsOf('amqps://h?exchange=x&heartbeat=5')).toEqual(['AMQP destination URL: unknown query parameter "heartbeat" (only exchange and routing_key)']);
    expect(errorsOf('amqps://h?exchange=x&exchange=y')).toEqual(['AMQP destination URL: exchange is given more than once']);
    expect(errorsOf('amqps://h?exchange=x&routing_key=')[0]).toMatch(/routing_key must be 1 to 255 bytes/);
    expect(errorsOf('amqps://h?exchange=x&routing_key=a%0Ab')).toHaveLength(1);
  });

  it('refuses a bad host or port, a second path segment, a bad vhost and a fragment', () => {
    expect(errorsOf('amqps://?exchange=x')[0]).toMatch(/must name the broker as host or host:port/);
    expect(errorsOf('amqps://h:0?exchange=x')[0]).toMatch(/must name the broker/);
    expect(errorsOf('amqps://h:65536?exchange=x')[0]).toMatch(/must name the broker/);
    expect(errorsOf('amqps://h:port?exchange=x')[0]).toMatch(/must name the broker/);
    expect(errorsOf('amqps://h/a/b?exchange=x')).toEqual(['AMQP destination URL has one path segment, the virtual host (encode a "/" in its name as %2F)']);
    expect(errorsOf('amqps://h/%E0%A4%A?exchange=x')).toEqual(['AMQP destination URL: the virtual host is not valid percent-encoding']);
    expect(errorsOf(`amqps://h/${'v'.repeat(256)}?exchange=x`)).toHaveLength(1);
    expect(errorsOf('amqps://h?exchange=x#f')).toEqual(['AMQP destination URL must not have a fragment']);
    expect(errorsOf('https://h?exchange=x')[0]).toMatch(/^an AMQP destination URL starts with amqps:\/\/ or amqp:\/\//);
  });
});

describe('checkEndpointUrl with allowAmqp', () => {
  const strict = { allowHttp: false, policy: createAddressPolicy(), allowAmqp: true };
  const dev = { allowHttp: true, policy: createAddressPolicy(), allowAmqp: true };

  it('accepts amqps:// to a public host, and plaintext amqp:// only where plain http is allowed', () => {
    expect(checkEndpointUrl('amqps://Rabbit.example.com?exchange=x', strict)).toEqual({ ok: true, url: 'amqps://rabbit.example.com?exchange=x' });
    expect(checkEndpointUrl('amqp://rabbit.example.com?exchange=x', strict)).toEqual({
      ok: false, errors: ['endpoint URL must use amqps:// for an AMQP destination (plaintext amqp:// needs ALLOW_HTTP_ENDPOINTS=true, for local development)'],
    });
    expect(checkEndpointUrl('amqp://rabbit.example.com?exchange=x', dev)).toEqual({ ok: true, url: 'amqp://rabbit.example.com?exchange=x' });
  });

  it('judges the broker host under the address policy, in every spelling', () => {
    expect(checkEndpointUrl('amqps://10.0.0.1?exchange=x', strict)).toEqual({ ok: false, errors: [expect.stringMatching(/^AMQP broker host 10\.0\.0\.1 is not allowed: /)] });
    expect(checkEndpointUrl('amqps://0x7f.1?exchange=x', strict)).toEqual({ ok: false, errors: [expect.stringMatching(/^AMQP broker host 127\.0\.0\.1 is not allowed/)] });
    expect(checkEndpointUrl('amqps://169.254.169.254?exchange=x', strict).ok).toBe(false);
    expect(checkEndpointUrl('amqps://localhost?exchange=x', strict).ok).toBe(false);
    const allowLoopback = { ...dev, policy: createAddressPolicy({ allowCidrs: ['127.0.0.0/8'] }) };
    expect(checkEndpointUrl('amqp://127.0.0.1?exchange=x', allowLoopback).ok).toBe(true);
  });

  it('is refused where AMQP is not allowed (a token URL is POSTed to)', () => {
    expect(checkEndpointUrl('amqps://rabbit.example.com?exchange=x', { allowHttp: false, policy: createAddressPolicy() })).toEqual({
      ok: false, errors: ['endpoint URL must use https, not amqps'],
    });
  });
});
