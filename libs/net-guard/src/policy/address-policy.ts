import { ALLOWED, AddressVerdict, refused } from './address-verdict';
import { CidrRange, parseCidr } from './allow-cidrs';
import { isLocalhostName, metadataHostReason, normaliseHostname } from './host-names';
import { IpAddress, classifyAddress, parseIpAddress, unwrapIpv4Mapped } from './ip-ranges';

/** Options for {@link createAddressPolicy}. */
export interface AddressPolicyOptions {
  /**
   * CIDR ranges (or single addresses) to allow although they are internal, e.g. `['127.0.0.1/32']` so tests can reach
   * a local receiver. Cannot open unspecified, broadcast, multicast or cloud-metadata addresses.
   */
  allowCidrs?: readonly string[];
}

/** Decides which destinations outbound webhook requests may reach. */
export interface AddressPolicy {
  /** Judges one IP address (any textual form; IPv4-mapped IPv6 is judged as the IPv4 address it reaches). */
  check(ip: string): AddressVerdict;
  /**
   * Judges a host name before it is resolved: IP literals go to `check`, cloud-metadata names are refused, and
   * `localhost` names are allowed only when a loopback address is. Other names are allowed here; their resolved
   * addresses still have to pass `check`.
   */
  checkHostname(hostname: string): AddressVerdict;
}

/**
 * Builds the SSRF policy: only public unicast addresses are allowed, except ranges named in `allowCidrs`. Refused:
 * unspecified, loopback, private, link-local (incl. cloud metadata), unique-local, CGNAT, multicast, broadcast,
 * reserved, documentation and benchmarking ranges, IPv6 outside 2000::/3, and IPv4-mapped / 6to4 / Teredo / NAT64
 * forms of refused IPv4 addresses. Throws an Error for an invalid `allowCidrs` entry.
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowList: readonly CidrRange[] = (options.allowCidrs ?? []).map((entry) => parseCidr(entry, 'allowCidrs'));

  const isAllowListed = (address: IpAddress): boolean =>
    allowList.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));

  const judge = (original: IpAddress): AddressVerdict => {
    const address = unwrapIpv4Mapped(original);
    const refusal = classifyAddress(address);
    if (!refusal || (refusal.overridable && isAllowListed(address))) return ALLOWED;
    return refused(address === original ? refusal.reason : `IPv4-mapped form of ${address.toString()}, a ${refusal.reason}`);
  };

  const check = (ip: string): AddressVerdict => {
    const address = parseIpAddress(ip.trim());
    return address ? judge(address) : refused(`"${ip}" is not an IP address`);
  };

  const checkHostname = (hostname: string): AddressVerdict => {
    const name = normaliseHostname(hostname.trim());
    if (name === '') return refused('the host name is empty');
    if (parseIpAddress(name)) return check(name);
    const metadata = metadataHostReason(name);
    if (metadata) return refused(metadata);
    if (isLocalhostName(name) && !check('127.0.0.1').allowed && !check('::1').allowed) {
      return refused('localhost name, which always means the local host (loopback)');
    }
    return ALLOWED;
  };

  return { check, checkHostname };
}
