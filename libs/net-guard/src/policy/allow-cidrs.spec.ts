import { allowCidrsFromEnv } from './allow-cidrs';

describe('allowCidrsFromEnv', () => {
  it('reads a comma-separated list into canonical CIDR strings', () => {
    expect(allowCidrsFromEnv(' 127.0.0.1/32, 10.0.0.0/8 ,::1/128,fd00::/8')).toEqual([
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1/128',
      'fd00::/8',
    ]);
  });

  it('treats a bare address as that address alone and folds IPv4-mapped ranges into IPv4', () => {
    expect(allowCidrsFromEnv('127.0.0.1,::1,::ffff:127.0.0.0/120')).toEqual(['127.0.0.1/32', '::1/128', '127.0.0.0/24']);
  });

  it('means none when unset or blank, and skips blank entries', () => {
    expect(allowCidrsFromEnv(undefined)).toEqual([]);
    expect(allowCidrsFromEnv('')).toEqual([]);
    expect(allowCidrsFromEnv('  ')).toEqual([]);
    expect(allowCidrsFromEnv('127.0.0.1/32,')).toEqual(['127.0.0.1/32']);
  });

  it.each([
    ['localhost', 'SSRF_ALLOW_CIDRS entry "localhost" is not valid: expected an IP address or CIDR range'],
    ['127.1/32', 'SSRF_ALLOW_CIDRS entry "127.1/32" is not valid'],
    ['0x7f.0.0.1/32', 'SSRF_ALLOW_CIDRS entry "0x7f.0.0.1/32" is not valid'],
    ['300.0.0.1/32', 'SSRF_ALLOW_CIDRS entry "300.0.0.1/32" is not valid'],
    ['127.0.0.1/33', 'SSRF_ALLOW_CIDRS entry "127.0.0.1/33" has an invalid prefix length: expected 0-32'],
    ['127.0.0.1/', 'SSRF_ALLOW_CIDRS entry "127.0.0.1/" has an invalid prefix length'],
    ['127.0.0.1/8x', 'SSRF_ALLOW_CIDRS entry "127.0.0.1/8x" has an invalid prefix length'],
    ['::1/129', 'SSRF_ALLOW_CIDRS entry "::1/129" has an invalid prefix length: expected 0-128'],
    ['fe80::1%eth0/128', 'SSRF_ALLOW_CIDRS entry "fe80::1%eth0/128" is not valid'],
  ])('rejects %p with a message naming the variable and the entry', (value, message) => {
    expect(() => allowCidrsFromEnv(`10.0.0.0/8,${value}`)).toThrow(message);
  });

  it('names another variable when asked', () => {
    expect(() => allowCidrsFromEnv('nope', 'DISPATCHER_ALLOW_CIDRS')).toThrow('DISPATCHER_ALLOW_CIDRS entry "nope"');
  });
});
