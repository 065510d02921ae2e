import { amqpPlainProblems, amqpPlainUrlProblems, sealedAmqpPlain } from './endpoint-amqp-plain';

const input = { type: 'amqp_plain' as const, username: 'hookline', password: 'Pa55 wörd!' };

describe('AMQP PLAIN login', () => {
  it('accepts a user name and a password', () => {
    expect(amqpPlainProblems(input)).toEqual([]);
    expect(amqpPlainProblems({ ...input, username: 'u'.repeat(256), password: 'p'.repeat(1024) })).toEqual([]);
  });

  it('names every wrong field: unknown ones, a missing, empty, too long or control-character credential', () => {
    expect(amqpPlainProblems({ type: 'amqp_plain', username: '', pasword: 'x' })).toEqual([
      { pointer: '/auth/pasword', detail: 'is not a field of amqp_plain auth' },
      { pointer: '/auth/username', detail: 'must be a string of 1 to 256 characters without control characters' },
      { pointer: '/auth/password', detail: 'is required' },
    ]);
    expect(amqpPlainProblems({ ...input, username: 'a\u0000b', password: 'x'.repeat(1025) }).map((p) => p.pointer)).toEqual(['/auth/username', '/auth/password']);
  });

  it('goes with an AMQP URL only, and over plaintext amqp:// only where plaintext endpoints are allowed', () => {
    expect(amqpPlainUrlProblems('amqps://rabbit.example.com/orders?exchange=x', false)).toEqual([]);
    expect(amqpPlainUrlProblems('amqp://127.0.0.1?exchange=x', true)).toEqual([]);
    expect(amqpPlainUrlProblems('amqp://127.0.0.1?exchange=x', false)).toEqual([
      { pointer: '/auth', detail: expect.stringMatching(/^amqp_plain auth over plaintext amqp:\/\/ would send the password readable: use amqps:\/\//) },
    ]);
    expect(amqpPlainUrlProblems('https://example.com/hooks', true)).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^amqp_plain auth needs an AMQP endpoint URL/) }]);
    expect(amqpPlainUrlProblems('kafka+tls://b.example.com:9093/orders', true)).toHaveLength(1);
  });

  it('seals the password and keeps nothing else of it', () => {
    expect(sealedAmqpPlain(input, (plain) => `sealed(${plain})`)).toEqual({ type: 'amqp_plain', username: 'hookline', password_sealed: 'sealed(Pa55 wörd!)' });
  });
});
