import { isKafkaUrl, parseKafkaUrl } from './kafka-url';

const TOPIC_RULE = 'Kafka destination URL must end with /<topic>, a topic name of 1 to 249 characters of a-z, A-Z, 0-9, ".", "_" and "-" (expected e.g. kafka+tls://broker-1.example.com:9093,broker-2.example.com:9093/webhooks)';
const errorsOf = (url: string) => {
  const result = parseKafkaUrl(url);
  return result.ok ? [] : result.errors;
};

describe('parseKafkaUrl', () => {
  it('tells Kafka destination URLs from http(s) ones', () => {
    expect(['kafka://h:1/t', 'KAFKA+TLS://h:1/t', 'kafka+tls://h:1/t'].map(isKafkaUrl)).toEqual([true, true, true]);
    expect(['https://h/t', 'kafka+ssl://h:1/t', 'kafka:h:1/t', ' kafka://h:1/t'].map(isKafkaUrl)).toEqual([false, false, false, false]);
  });

  it('reads brokers, topic and TLS, and returns the normalised URL', () => {
    expect(parseKafkaUrl('KAFKA+TLS://B-1.Example.COM:9094,b-2.example.com:9094/orders.v1')).toEqual({
      ok: true,
      url: 'kafka+tls://b-1.example.com:9094,b-2.example.com:9094/orders.v1',
      destination: { tls: true, topic: 'orders.v1', brokers: [{ host: 'b-1.example.com', port: 9094 }, { host: 'b-2.example.com', port: 9094 }] },
    });
    expect(parseKafkaUrl('kafka://127.0.0.1:9092/hookline-test_1')).toEqual({
      ok: true, url: 'kafka://127.0.0.1:9092/hookline-test_1', destination: { tls: false, topic: 'hookline-test_1', brokers: [{ host: '127.0.0.1', port: 9092 }] },
    });
    expect(parseKafkaUrl(`kafka+tls://h.example.com:1/${'a'.repeat(249)}`).ok).toBe(true);
  });

  // Each broker is parsed as an http authority, so an IP literal is judged in the form the socket would dial.
  it('normalises IPv4 literals in every spelling', () => {
    const hosts = ['2130706433', '0177.0.0.1', '0x7f.1', '127.1'].map((h) => {
      const result = parseKafkaUrl(`kafka://${h}:9092/t`);
      return result.ok ? result.destination.brokers[0].host : result.errors;
    });
    expect(hosts).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('refuses a URL that is not a Kafka destination', () => {
    expect(errorsOf('https://example.com/t')).toEqual([
      'a Kafka destination URL starts with kafka+tls:// or kafka:// (expected e.g. kafka+tls://broker-1.example.com:9093,broker-2.example.com:9093/webhooks)',
    ]);
  });

  it('refuses credentials: SASL credentials are the endpoint\'s auth, not part of its URL', () => {
    expect(errorsOf('kafka+tls://user:secret@b.example.com:9093/t')).toEqual([
      "Kafka destination URL must not contain a user name or password (give SASL credentials as the endpoint's auth, type kafka_sasl)",
    ]);
  });

  it('needs at least one broker, each host:port with a port of 1-65535', () => {
    expect(errorsOf('kafka+tls:///t')).toEqual(['Kafka destination URL must name at least one broker as host:port']);
    expect(errorsOf('kafka+tls://b.example.com/t')).toEqual(['Kafka broker "b.example.com" is not host:port (port 1-65535)']);
    expect(errorsOf('kafka+tls://b.example.com:0/t')).toEqual(['Kafka broker "b.example.com:0" is not host:port (port 1-65535)']);
    expect(errorsOf('kafka+tls://b.example.com:65536/t')).toEqual(['Kafka broker "b.example.com:65536" is not host:port (port 1-65535)']);
    expect(errorsOf('kafka+tls://a.example.com:1,,c.example.com:3/t')).toEqual(['Kafka broker "" is not host:port (port 1-65535)']);
    expect(errorsOf('kafka+tls://exa mple.com:1/t')).toEqual(['Kafka broker "exa mple.com:1" is not host:port (port 1-65535)']);
  });

  it('refuses IPv6 literals (kafkajs cannot dial them as bootstrap brokers)', () => {
    expect(errorsOf('kafka+tls://[2606:4700::1]:9093/t')).toEqual([
      'Kafka broker "[2606:4700::1]:9093": IPv6 literals are not supported; name the broker by a host name or an IPv4 address',
    ]);
  });

  it('needs exactly one topic name as Kafka accepts it, and no query or fragment', () => {
    for (const url of ['kafka+tls://b.example.com:1', 'kafka+tls://b.example.com:1/', 'kafka+tls://b.example.com:1/a/b', 'kafka+tls://b.example.com:1/a%20b',
      'kafka+tls://b.example.com:1/ü', 'kafka+tls://b.example.com:1/.', 'kafka+tls://b.example.com:1/..', `kafka+tls://b.example.com:1/${'a'.repeat(250)}`]) {
      expect({ url, errors: errorsOf(url) }).toEqual({ url, errors: [TOPIC_RULE] });
    }
    expect(errorsOf('kafka+tls://b.example.com:1/t?acks=1')).toEqual(['Kafka destination URL must not have a query or fragment']);
    expect(errorsOf('kafka+tls://b.example.com:1/t#x')).toEqual(['Kafka destination URL must not have a query or fragment']);
  });

  it('reports every problem at once', () => {
    expect(errorsOf('kafka://b.example.com,c.example.com:70000/a/b?x')).toEqual([
      'Kafka broker "b.example.com" is not host:port (port 1-65535)',
      'Kafka broker "c.example.com:70000" is not host:port (port 1-65535)',
      'Kafka destination URL must not have a query or fragment',
      TOPIC_RULE,
    ]);
  });
});
