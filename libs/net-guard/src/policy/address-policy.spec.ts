import { createAddressPolicy } from './address-policy';

describe('address policy', () => {
  const policy = createAddressPolicy();

  describe('given no allow list', () => {
    it.each([
      ['0.0.0.0', /unspecified/],
      ['0.1.2.3', /unspecified/],
      ['::', /unspecified/],
      ['127.0.0.1', /loopback/],
      ['127.255.255.254', /loopback/],
      ['::1', /loopback/],
      ['10.0.0.1', /private/],
      ['172.16.0.1', /private/],
      ['172.31.255.255', /private/],
      ['192.168.1.1', /private/],
      ['169.254.1.1', /link-local/],
      ['169.254.169.254', /metadata/],
      ['169.254.170.2', /ECS/],
      ['fd00:ec2::254', /metadata/],
      ['100.100.100.200', /Alibaba/],
      ['168.63.129.16', /Azure/],
      ['fe80::1', /link-local/],
      ['fe80::1%eth0', /link-local/],
      ['fc00::1', /unique-local/],
      ['fd12:3456::1', /unique-local/],
      ['fec0::1', /site-local/],
      ['100.64.0.1', /carrier-grade NAT/],
      ['100.127.255.255', /carrier-grade NAT/],
      ['224.0.0.1', /multicast/],
      ['239.255.255.250', /multicast/],
      ['ff02::1', /multicast/],
      ['255.255.255.255', /broadcast/],
      ['240.0.0.1', /reserved/],
      ['192.0.0.8', /protocol-assignment/],
      ['192.0.2.10', /documentation/],
      ['198.51.100.10', /documentation/],
      ['203.0.113.10', /documentation/],
      ['198.18.0.1', /benchmarking/],
      ['2001:db8::1', /documentation/],
      ['3fff::1', /documentation/],
      ['100::1', /discard/],
      ['::ffff:127.0.0.1', /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
      ['::ffff:7f00:1', /IPv4-mapped form of 127\.0\.0\.1/],
      ['::ffff:10.1.2.3', /IPv4-mapped form of 10\.1\.2\.3, a private/],
      ['::ffff:169.254.169.254', /metadata/],
      ['::ffff:0.0.0.0', /unspecified/],
      ['::127.0.0.1', /IPv4-compatible/],
      ['::7f00:1', /IPv4-compatible/],
      ['::ffff:127.0.0.1%eth0', /IPv4-mapped form of 127\.0\.0\.1/],
      ['::ffff:0:127.0.0.1', /IPv4-translated address embedding 127\.0\.0\.1/],
      ['2002:7f00:1::', /6to4 address embedding 127\.0\.0\.1/],
      ['2002:c0a8:101::1', /6to4 address embedding 192\.168\.1\.1/],
      ['64:ff9b::127.0.0.1', /NAT64 address embedding 127\.0\.0\.1/],
      ['64:ff9b::a00:1', /NAT64 address embedding 10\.0\.0\.1/],
      ['64:ff9b:1::1', /local-use NAT64/],
      // Teredo: server 65.54.227.120 (public), client 192.168.1.1 stored bit-inverted as 3f57:fefe.
      ['2001:0:4136:e378:8000:63bf:3f57:fefe', /Teredo \(client\) address embedding 192\.168\.1\.1/],
      ['2001:0:a00:1::', /Teredo \(server\) address embedding 10\.0\.0\.1/],
      ['2001:2::1', /benchmarking/],
      ['2001:10::1', /special-purpose/],
      ['5f00::1', /special-purpose/],
      ['4000::1', /not a global unicast/],
      // Legacy IPv4 spellings are judged as the address they mean.
      ['2130706433', /loopback/],
      ['0177.0.0.1', /loopback/],
      ['0x7f.1', /loopback/],
      ['127.1', /loopback/],
      ['[::1]', /loopback/],
    ])('refuses %s', (ip, reason) => {
      const verdict = policy.check(ip);
      expect(verdict.allowed).toBe(false);
      expect(verdict.allowed ? '' : verdict.reason).toMatch(reason);
    });

    it.each([
      '93.184.215.14',
      '8.8.8.8',
      '1.1.1.1',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '2606:4700::6810:84e5',
      '::ffff:8.8.8.8',
      '2002:808:808::1',
      '64:ff9b::808:808',
      '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
      '2606:4700::8.8.8.8',
    ])('allows the public address %s', (ip) => {
      expect(policy.check(ip)).toEqual({ allowed: true });
    });

    it.each(['', 'example.com', '1.2.3.4.5', '08.0.0.1', '::g'])('refuses %p, which is not an IP address', (text) => {
      expect(policy.check(text)).toEqual({ allowed: false, reason: expect.stringContaining('not an IP address') });
    });
  });

  describe('given allowCidrs', () => {
    const local = createAddressPolicy({ allowCidrs: ['127.0.0.1/32', 'fd00:1234::/32', '10.0.0.0/8'] });

    it('allows exactly the listed subnets, including their IPv4-mapped form', () => {
      expect(local.check('127.0.0.1')).toEqual({ allowed: true });
      expect(local.check('::ffff:127.0.0.1')).toEqual({ allowed: true });
      expect(local.check('10.200.0.1')).toEqual({ allowed: true });
      expect(local.check('fd00:1234::9')).toEqual({ allowed: true });
      expect(local.check('127.0.0.2').allowed).toBe(false);
      expect(local.check('::1').allowed).toBe(false);
      expect(local.check('192.168.1.1').allowed).toBe(false);
    });

    it('does not open transition forms that only embed a listed IPv4 address', () => {
      expect(local.check('2002:7f00:1::').allowed).toBe(false);
      expect(local.check('64:ff9b::7f00:1').allowed).toBe(false);
    });

    it('never opens unspecified, broadcast, multicast or cloud-metadata addresses, however broad the list', () => {
      const everything = createAddressPolicy({ allowCidrs: ['0.0.0.0/0', '::/0'] });
      expect(everything.check('10.0.0.1')).toEqual({ allowed: true });
      for (const ip of ['0.0.0.0', '::', '255.255.255.255', '224.0.0.1', 'ff02::1', '169.254.169.254', 'fd00:ec2::254']) {
        expect(everything.check(ip).allowed).toBe(false);
      }
    });

    it('rejects an invalid entry with an error naming it', () => {
      expect(() => createAddressPolicy({ allowCidrs: ['127.0.0.1/33'] })).toThrow(
        'allowCidrs entry "127.0.0.1/33" has an invalid prefix length',
      );
      expect(() => createAddressPolicy({ allowCidrs: ['localhost'] })).toThrow('allowCidrs entry "localhost" is not valid');
    });
  });

  describe('host names', () => {
    it.each(['metadata.google.internal', 'METADATA.google.internal.', 'metadata.goog', 'metadata', 'instance-data'])(
      'refuses the metadata name %s without resolving it, even when everything is allowed',
      (name) => {
        const everything = createAddressPolicy({ allowCidrs: ['0.0.0.0/0', '::/0'] });
        expect(everything.checkHostname(name)).toEqual({ allowed: false, reason: expect.stringContaining('metadata') });
      },
    );

    it.each(['localhost', 'LOCALHOST.', 'api.localhost', 'localhost.localdomain', 'ip6-localhost'])(
      'refuses %s unless loopback is allowed',
      (name) => {
        expect(policy.checkHostname(name)).toEqual({ allowed: false, reason: expect.stringContaining('localhost') });
        expect(createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }).checkHostname(name)).toEqual({ allowed: true });
        expect(createAddressPolicy({ allowCidrs: ['::1/128'] }).checkHostname(name)).toEqual({ allowed: true });
      },
    );

    it('judges IP literals as addresses, in any spelling', () => {
      for (const host of ['127.0.0.1', '[::1]', '[::ffff:7f00:1]', '0x7f.1', '2130706433']) {
        expect(policy.checkHostname(host)).toEqual({ allowed: false, reason: expect.stringContaining('loopback') });
      }
      expect(policy.checkHostname('[2606:4700::1]')).toEqual({ allowed: true });
    });

    it('allows other names; their addresses are judged after resolution', () => {
      expect(policy.checkHostname('hooks.example.com')).toEqual({ allowed: true });
      expect(policy.checkHostname('localhost.example.com')).toEqual({ allowed: true });
      expect(policy.checkHostname('')).toEqual({ allowed: false, reason: 'the host name is empty' });
    });
  });
});
