import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Why an address is not a public unicast destination. `overridable: false` marks destinations an allow list can never
 * open: 0.0.0.0 and :: connect to the local host, broadcast and multicast are never TCP peers, and a broad entry such
 * as 169.254.0.0/16 or 0.0.0.0/0 must not hand out cloud credentials.
 */
export interface Refusal {
  reason: string;
  overridable: boolean;
}

// Instance-metadata and platform endpoints that hand out credentials to whoever asks from inside the VM / pod.
const CLOUD_METADATA_ADDRESSES: ReadonlyMap<string, string> = new Map([
  ['169.254.169.254', 'cloud instance-metadata address (AWS, GCP, Azure, OpenStack, ...)'],
  ['169.254.170.2', 'AWS ECS task-metadata address'],
  ['169.254.170.23', 'AWS EKS pod-identity address'],
  ['fd00:ec2::254', 'AWS instance-metadata address (IPv6)'],
  ['fd00:ec2::23', 'AWS EKS pod-identity address (IPv6)'],
  ['100.100.100.200', 'Alibaba Cloud metadata address'],
  ['168.63.129.16', 'Azure WireServer platform address'],
]);

const NEVER_ALLOWED_RANGES = new Set(['unspecified', 'broadcast', 'multicast']);

const V4_RANGE_REASONS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified address (0.0.0.0/8), which connects to the local host',
  broadcast: 'broadcast address (255.255.255.255)',
  multicast: 'multicast address (224.0.0.0/4)',
  linkLocal: 'link-local address (169.254.0.0/16)',
  loopback: 'loopback address (127.0.0.0/8)',
  carrierGradeNat: 'carrier-grade NAT address (100.64.0.0/10)',
  private: 'private address (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)',
  reserved: 'reserved address',
};

// Finer reasons inside ipaddr.js's broad "reserved" range, so the message names the actual block.
const V4_SPECIFIC_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['192.0.2.0/24', 'documentation address (192.0.2.0/24, RFC 5737)'],
  ['198.51.100.0/24', 'documentation address (198.51.100.0/24, RFC 5737)'],
  ['203.0.113.0/24', 'documentation address (203.0.113.0/24, RFC 5737)'],
  ['198.18.0.0/15', 'benchmarking address (198.18.0.0/15)'],
  ['192.0.0.0/24', 'IETF protocol-assignment address (192.0.0.0/24)'],
  ['192.88.99.0/24', 'deprecated 6to4 relay address (192.88.99.0/24)'],
  ['240.0.0.0/4', 'reserved address (240.0.0.0/4)'],
];

const V6_RANGE_REASONS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified address (::), which connects to the local host',
  multicast: 'multicast address (ff00::/8)',
  loopback: 'loopback address (::1)',
  linkLocal: 'link-local address (fe80::/10)',
  uniqueLocal: 'unique-local address (fc00::/7)',
  deprecatedSiteLocal: 'deprecated site-local address (fec0::/10)',
  discard: 'discard-only address (100::/64)',
  benchmarking: 'benchmarking address (2001:2::/48)',
  reserved: 'reserved address (2001::/23 protocol assignments or documentation)',
};

const V6_SPECIFIC_REASONS: ReadonlyArray<readonly [string, string]> = [
  ['2001:db8::/32', 'documentation address (2001:db8::/32, RFC 3849)'],
  ['3fff::/20', 'documentation address (3fff::/20, RFC 9637)'],
  ['64:ff9b:1::/48', 'local-use NAT64 address (64:ff9b:1::/48)'],
];

const V4_SPECIFIC = V4_SPECIFIC_REASONS.map(([cidr, reason]) => [ipaddr.IPv4.parseCIDR(cidr), reason] as const);
const V6_SPECIFIC = V6_SPECIFIC_REASONS.map(([cidr, reason]) => [ipaddr.IPv6.parseCIDR(cidr), reason] as const);
const V6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const V6_IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Parses an address the way the policy judges it: any form ipaddr.js accepts (including the legacy IPv4 forms
 * `0177.0.0.1`, `0x7f.1`, `127.1`, `2130706433`, which WHATWG URLs and getaddrinfo also accept), optionally in
 * brackets, with an optional IPv6 zone. Returns undefined for anything else.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const spelled = bare.includes(':') ? hexTailV6(bare) : bare;
  return ipaddr.isValid(spelled) ? ipaddr.parse(spelled) : undefined;
}

// ipaddr.js reads "::127.0.0.1" as the mapped ::ffff:127.0.0.1; rewriting a dotted tail as two hex groups keeps the
// deprecated IPv4-compatible form (::7f00:1) distinct, exactly as Node and WHATWG URLs read it.
function hexTailV6(text: string): string {
  return text.replace(/:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(%.*)?$/, (match, a, b, c, d, zone = '') => {
    const octets = [a, b, c, d].map(Number);
    if (octets.some((octet) => octet > 255)) return match;
    const hex = (high: number, low: number): string => ((high << 8) | low).toString(16);
    return `:${hex(octets[0], octets[1])}:${hex(octets[2], octets[3])}${zone}`;
  });
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) connects to; dual-stack sockets treat them alike. */
export function unwrapIpv4Mapped(address: IpAddress): IpAddress {
  return address.kind() === 'ipv6' && address.range() === 'ipv4Mapped' ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** Null for a public unicast address; otherwise why it is refused. Mapped IPv6 must be unwrapped first. */
export function classifyAddress(address: IpAddress): Refusal | null {
  return address.kind() === 'ipv4' ? classifyV4(address as ipaddr.IPv4) : classifyV6(address as ipaddr.IPv6);
}

function classifyV4(address: ipaddr.IPv4): Refusal | null {
  const metadata = CLOUD_METADATA_ADDRESSES.get(address.toString());
  if (metadata) return { reason: metadata, overridable: false };
  const range = address.range();
  if (range === 'unicast') return null;
  const specific = range === 'reserved' ? V4_SPECIFIC.find(([[net, bits]]) => address.match(net, bits)) : undefined;
  const reason = specific?.[1] ?? V4_RANGE_REASONS[range] ?? `special-purpose address (${range})`;
  return { reason, overridable: !NEVER_ALLOWED_RANGES.has(range) };
}

function classifyV6(address: ipaddr.IPv6): Refusal | null {
  const metadata = CLOUD_METADATA_ADDRESSES.get(address.toString());
  if (metadata) return { reason: metadata, overridable: false };
  const specific = V6_SPECIFIC.find(([[net, bits]]) => address.match(net, bits));
  if (specific) return { reason: specific[1], overridable: true };

  const range = address.range();
  switch (range) {
    case 'ipv4Mapped':
      throw new Error('IPv4-mapped addresses must be unwrapped before classification');
    case 'rfc6145':
    case 'rfc6052':
      return embeddedRefusal(range === 'rfc6052' ? 'NAT64' : 'IPv4-translated', lowBitsV4(address, 6));
    case '6to4':
      return embeddedRefusal('6to4', lowBitsV4(address, 1));
    case 'teredo':
      // Teredo carries the relay server in bits 32-63 and the client, bit-inverted, in the last 32 bits.
      return (
        embeddedRefusal('Teredo (server)', lowBitsV4(address, 2)) ??
        embeddedRefusal('Teredo (client)', lowBitsV4(address, 6, 0xffff))
      );
    case 'unicast':
      if (address.match(V6_IPV4_COMPATIBLE)) {
        return { reason: 'deprecated IPv4-compatible address (::/96)', overridable: true };
      }
      if (!address.match(V6_GLOBAL_UNICAST)) {
        return { reason: 'not a global unicast address (outside 2000::/3)', overridable: true };
      }
      return null;
    default:
      return {
        reason: V6_RANGE_REASONS[range] ?? `special-purpose address (${range})`,
        overridable: !NEVER_ALLOWED_RANGES.has(range),
      };
  }
}

// Transition forms reach whatever IPv4 address they carry, so they are refused exactly when that address would be.
function embeddedRefusal(form: string, embedded: ipaddr.IPv4): Refusal | null {
  const inner = classifyV4(embedded);
  return inner && { reason: `${form} address embedding ${embedded.toString()}, a ${inner.reason}`, overridable: true };
}

function lowBitsV4(address: ipaddr.IPv6, firstPart: number, xorMask = 0): ipaddr.IPv4 {
  const high = address.parts[firstPart] ^ xorMask;
  const low = address.parts[firstPart + 1] ^ xorMask;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
