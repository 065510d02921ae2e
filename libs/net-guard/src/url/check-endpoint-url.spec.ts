import { createAddressPolicy } from '../policy/address-policy';
import { checkEndpointUrl } from './check-endpoint-url';

describe('checkEndpointUrl', () => {
  const policy = createAddressPolicy();
  const strict = { allowHttp: false, policy };
  const dev = { allowHttp: true, policy };

  it('accepts a public https URL and returns its normalised form', () => {
    expect(checkEndpointUrl('HTTPS://Hooks.Example.COM:443/in?x=1', strict)).toEqual({
      ok: true,
      url: 'https://hooks.example.com/in?x=1',
    });
    expect(checkEndpointUrl('https://[2606:4700:0::1]:8443/', strict)).toEqual({ ok: true, url: 'https://[2606:4700::1]:8443/' });
  });

  it('refuses what does not parse', () => {
    for (const url of ['', 'hooks.example.com/in', 'https://', 'https://exa mple.com/', 'https://example.com:99999/']) {
      expect(checkEndpointUrl(url, strict)).toEqual({
        ok: false,
        errors: ['endpoint URL is not a valid absolute URL (expected e.g. https://example.com/webhooks)'],
      });
    }
  });

  it('requires https unless http is allowed for local development', () => {
    expect(checkEndpointUrl('http://hooks.example.com/', strict)).toEqual({
      ok: false,
      errors: ['endpoint URL must use https (set ALLOW_HTTP_ENDPOINTS=true for local development)'],
    });
    expect(checkEndpointUrl('http://hooks.example.com/', dev)).toEqual({ ok: true, url: 'http://hooks.example.com/' });
    expect(checkEndpointUrl('ftp://hooks.example.com/', dev)).toEqual({
      ok: false,
      errors: ['endpoint URL must use https, not ftp'],
    });
    expect(checkEndpointUrl('file:///etc/passwd', dev)).toEqual({
      ok: false,
      errors: ['endpoint URL must use https, not file', 'endpoint URL must have a host name'],
    });
  });

  it('refuses credentials in the URL', () => {
    const result = checkEndpointUrl('https://user:secret@hooks.example.com/', strict);
    expect(result).toEqual({
      ok: false,
      errors: ['endpoint URL must not contain a user name or password; send credentials in a header instead'],
    });
    expect(checkEndpointUrl('https://token@hooks.example.com/', strict).ok).toBe(false);
  });

  it('reports every problem at once', () => {
    const result = checkEndpointUrl('http://u:p@127.0.0.1/', strict);
    expect(result.ok ? [] : result.errors).toHaveLength(3);
  });

  // WHATWG URL parsing normalises every legacy or exotic spelling of an IP literal before the policy sees it.
  it.each([
    ['http://127.0.0.1:8080/', '127.0.0.1', /loopback/],
    ['http://2130706433/', '127.0.0.1', /loopback/],
    ['http://0177.0.0.1/', '127.0.0.1', /loopback/],
    ['http://00000177.0.0.1/', '127.0.0.1', /loopback/],
    ['http://0x7f.1/', '127.0.0.1', /loopback/],
    ['http://0x7f000001/', '127.0.0.1', /loopback/],
    ['http://127.1/', '127.0.0.1', /loopback/],
    ['http://127.0.0.1./', '127.0.0.1', /loopback/],
    ['http://%31%32%37.0.0.1/', '127.0.0.1', /loopback/],
    ['http://\uff11\uff12\uff17.0.0.1/', '127.0.0.1', /loopback/],
    ['http://[::1]/', '[::1]', /loopback/],
    ['http://[0:0:0:0:0:0:0:1]/', '[::1]', /loopback/],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]', /IPv4-mapped form of 127\.0\.0\.1/],
    ['http://[::ffff:169.254.169.254]/', '[::ffff:a9fe:a9fe]', /metadata/],
    ['http://[::127.0.0.1]/', '[::7f00:1]', /IPv4-compatible/],
    ['http://[64:ff9b::10.0.0.1]/', '[64:ff9b::a00:1]', /NAT64 address embedding 10\.0\.0\.1/],
    ['http://[2002:a9fe:a9fe::]/', '[2002:a9fe:a9fe::]', /6to4 address embedding 169\.254\.169\.254/],
    ['http://0.0.0.0/', '0.0.0.0', /unspecified/],
    ['http://0/', '0.0.0.0', /unspecified/],
    ['http://10.0.0.1/', '10.0.0.1', /private/],
    ['http://172.16.0.1/', '172.16.0.1', /private/],
    ['http://192.168.1.1/', '192.168.1.1', /private/],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', /metadata/],
    ['http://[fe80::1]/', '[fe80::1]', /link-local/],
    ['http://[fd00::1]/', '[fd00::1]', /unique-local/],
    ['http://100.64.0.1/', '100.64.0.1', /carrier-grade NAT/],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal', /metadata/],
    ['http://localhost:3000/', 'localhost', /localhost/],
    ['http://LOCALHOST./', 'localhost.', /localhost/],
    ['http://api.localhost/', 'api.localhost', /localhost/],
  ])('refuses %s (host %s)', (url, host, reason) => {
    const result = checkEndpointUrl(url, dev);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([expect.stringContaining(`endpoint URL host ${host} is not allowed: `)]);
    expect(errors[0]).toMatch(reason);
  });

  it('lets allowCidrs open loopback, and then normalises the spelling', () => {
    const local = { allowHttp: true, policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) };
    expect(checkEndpointUrl('http://0x7f.1:8080/hook', local)).toEqual({ ok: true, url: 'http://127.0.0.1:8080/hook' });
    expect(checkEndpointUrl('http://[::ffff:127.0.0.1]/', local)).toEqual({ ok: true, url: 'http://[::ffff:7f00:1]/' });
    expect(checkEndpointUrl('http://localhost:8080/', local)).toEqual({ ok: true, url: 'http://localhost:8080/' });
    expect(checkEndpointUrl('http://127.0.0.2/', local).ok).toBe(false);
    expect(checkEndpointUrl('http://metadata.google.internal/', local).ok).toBe(false);
  });

  it('leaves names to be resolved and checked at delivery time', () => {
    expect(checkEndpointUrl('https://internal.corp.example/', strict).ok).toBe(true);
  });

  describe('Kafka destinations (allowKafka: endpoint URLs only)', () => {
    const kafka = { ...strict, allowKafka: true };
    const kafkaDev = { ...dev, allowKafka: true };

    it('accepts a kafka+tls:// URL with public brokers and returns its normalised form', () => {
      expect(checkEndpointUrl('Kafka+TLS://B-1.Example.com:9094,b-2.example.com:9094/orders', kafka)).toEqual({
        ok: true, url: 'kafka+tls://b-1.example.com:9094,b-2.example.com:9094/orders',
      });
    });

    it('is refused where Kafka is not allowed (a token URL is POSTed to)', () => {
      expect(checkEndpointUrl('kafka+tls://b.example.com:9094/orders', strict)).toEqual({ ok: false, errors: ['endpoint URL must use https, not kafka+tls'] });
    });

    it('allows plaintext kafka:// only where plain http is allowed', () => {
      expect(checkEndpointUrl('kafka://b.example.com:9092/orders', kafka)).toEqual({
        ok: false,
        errors: ['endpoint URL must use kafka+tls:// for a Kafka destination (plaintext kafka:// needs ALLOW_HTTP_ENDPOINTS=true, for local development)'],
      });
      expect(checkEndpointUrl('kafka://b.example.com:9092/orders', kafkaDev)).toEqual({ ok: true, url: 'kafka://b.example.com:9092/orders' });
    });

    it('judges every bootstrap broker by the address policy, in the form the socket would dial', () => {
      expect(checkEndpointUrl('kafka+tls://b.example.com:9093,0x7f.1:9093,169.254.169.254:9093,localhost:9093/orders', kafka)).toEqual({
        ok: false,
        errors: [
          expect.stringMatching(/^Kafka broker host 127\.0\.0\.1 is not allowed: .*loopback/),
          expect.stringMatching(/^Kafka broker host 169\.254\.169\.254 is not allowed: .*metadata/),
          expect.stringMatching(/^Kafka broker host localhost is not allowed: .*localhost/),
        ],
      });
      const local = { allowHttp: true, allowKafka: true, policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) };
      expect(checkEndpointUrl('kafka://127.1:9092/orders', local)).toEqual({ ok: true, url: 'kafka://127.0.0.1:9092/orders' });
    });

    it('passes on the shape problems: credentials, brokers, topic', () => {
      expect(checkEndpointUrl('kafka+tls://u:p@b.example.com:9093/orders', kafka)).toEqual({
        ok: false, errors: ["Kafka destination URL must not contain a user name or password (give SASL credentials as the endpoint's auth, type kafka_sasl)"],
      });
      const result = checkEndpointUrl('kafka://b.example.com/a b', kafka);
      expect(result.ok ? [] : result.errors).toEqual([
        expect.stringMatching(/^endpoint URL must use kafka\+tls:\/\//), 'Kafka broker "b.example.com" is not host:port (port 1-65535)', expect.stringMatching(/^Kafka destination URL must end with \/<topic>/),
      ]);
    });
  });
});
