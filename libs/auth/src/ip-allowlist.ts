import ipaddr from 'ipaddr.js';

/** Problems with an allowlist entry (IP or CIDR); empty when valid. */
export function validateAllowlistEntry(entry: string): string | null {
  try {
    if (entry.includes('/')) ipaddr.parseCIDR(entry);
    else ipaddr.parse(entry);
    return null;
  } catch {
    return `"${entry}" is not an IP address or CIDR range`;
  }
}

function normalise(ip: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(ip);
  // Node reports IPv4 clients on dual-stack sockets as ::ffff:a.b.c.d; judge the IPv4 address.
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** True when the allowlist is empty (no restriction) or the client address falls in one of its entries. */
export function ipAllowed(allowlist: readonly string[], clientIp: string | undefined): boolean {
  if (allowlist.length === 0) return true;
  if (!clientIp || !ipaddr.isValid(clientIp)) return false;
  const addr = normalise(clientIp);
  return allowlist.some((entry) => {
    try {
      const [range, bits] = entry.includes('/') ? ipaddr.parseCIDR(entry) : [ipaddr.parse(entry), undefined];
      const r = range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() ? (range as ipaddr.IPv6).toIPv4Address() : range;
      if (r.kind() !== addr.kind()) return false;
      const prefix = bits === undefined ? (r.kind() === 'ipv4' ? 32 : 128) : r === range ? bits : bits - 96;
      return addr.match(r, prefix);
    } catch {
      return false;
    }
  });
}
