import { KafkaSaslV1 } from '@hookline/contracts';
import { KafkaDestination, parseKafkaUrl } from '@hookline/net-guard';
import { clusterKey } from './kafka-producers';

const destinationOf = (url: string): KafkaDestination => {
  const parsed = parseKafkaUrl(url);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.destination;
};
const cluster = destinationOf('kafka+tls://b1.example.com:9093,b2.example.com:9093/orders');
const sasl = (changes: Partial<KafkaSaslV1> = {}): KafkaSaslV1 => ({ type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'hookline', password_sealed: 'enc:v1:pw', ...changes });

describe('clusterKey: which endpoints share a producer', () => {
  it('is the same for endpoints of one cluster with the same credentials, whatever their topic', () => {
    expect(clusterKey(cluster, { sasl: sasl() })).toBe(clusterKey(destinationOf('kafka+tls://b1.example.com:9093,b2.example.com:9093/payments'), { sasl: sasl() }));
    expect(clusterKey(cluster, {})).toBe(clusterKey(cluster, { certificate: null, sasl: null }));
  });

  it('differs by SASL mechanism, user name and password, so no endpoint produces as another one authenticated', () => {
    const keys = [
      clusterKey(cluster, {}), clusterKey(cluster, { sasl: sasl() }), clusterKey(cluster, { sasl: sasl({ mechanism: 'scram-sha-512' }) }),
      clusterKey(cluster, { sasl: sasl({ username: 'other' }) }), clusterKey(cluster, { sasl: sasl({ password_sealed: 'enc:v1:changed' }) }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never carries the sealed password itself, and cannot be made to read alike by a user name', () => {
    expect(clusterKey(cluster, { sasl: sasl() })).not.toContain('enc:v1:pw');
    expect(clusterKey(cluster, { sasl: sasl({ username: 'a|b' }) })).not.toBe(clusterKey(cluster, { sasl: sasl({ username: 'a', password_sealed: 'b|enc:v1:pw' }) }));
  });
});
