import { kafkaSaslProblems, kafkaSaslUrlProblems, sealedKafkaSasl } from './endpoint-kafka-sasl';

const input = { type: 'kafka_sasl' as const, mechanism: 'scram-sha-512' as const, username: 'hookline', password: 'Pa55 wörd!' };

describe('Kafka SASL auth', () => {
  it('accepts each mechanism with a user name and a password', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512']) expect(kafkaSaslProblems({ ...input, mechanism })).toEqual([]);
  });

  it('names every wrong field: unknown ones, the mechanism, a missing, empty, too long or control-character credential', () => {
    expect(kafkaSaslProblems({ type: 'kafka_sasl', mechanism: 'SCRAM-SHA-1', username: '', pasword: 'x' })).toEqual([
      { pointer: '/auth/pasword', detail: 'is not a field of kafka_sasl auth' },
      { pointer: '/auth/mechanism', detail: 'must be one of "plain", "scram-sha-256", "scram-sha-512"' },
      { pointer: '/auth/username', detail: 'must be a string of 1 to 256 characters without control characters' },
      { pointer: '/auth/password', detail: 'is required' },
    ]);
    expect(kafkaSaslProblems({ ...input, username: 'a\u0000b', password: 'x'.repeat(1025) }).map((p) => p.pointer)).toEqual(['/auth/username', '/auth/password']);
    expect(kafkaSaslProblems({ ...input, username: 'u'.repeat(256), password: 'p'.repeat(1024) })).toEqual([]);
    expect(kafkaSaslProblems({ ...input, password: 42 }).map((p) => p.pointer)).toEqual(['/auth/password']);
  });

  it('goes with a Kafka URL only, and over plaintext kafka:// only where plaintext endpoints are allowed', () => {
    expect(kafkaSaslUrlProblems('kafka+tls://b1.example.com:9093/orders', false)).toEqual([]);
    expect(kafkaSaslUrlProblems('kafka://127.0.0.1:9092/orders', true)).toEqual([]);
    expect(kafkaSaslUrlProblems('kafka://127.0.0.1:9092/orders', false)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth over plaintext kafka:\/\/ would send the credentials readable: use kafka\+tls:\/\//) },
    ]);
    expect(kafkaSaslUrlProblems('https://example.com/hooks', true)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth needs a Kafka endpoint URL/) },
    ]);
  });

  it('stores the mechanism, the user name and the sealed password', () => {
    expect(sealedKafkaSasl(input, (plain) => `sealed(${plain})`)).toEqual({
      type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline', password_sealed: 'sealed(Pa55 wörd!)',
    });
  });
});
