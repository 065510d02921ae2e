import ipaddr from 'ipaddr.js';
import { IpAddress, unwrapIpv4Mapped } from './ip-ranges';

/** One parsed allow-list entry. */
export type CidrRange = readonly [IpAddress, number];

const EXAMPLE = 'expected an IP address or CIDR range such as 127.0.0.1/32 or ::1/128';

/**
 * Parses one allow-list entry: a CIDR range, or a bare address meaning just that address. IPv4 must be dotted decimal
 * (an allow list is configuration, not a place for `0x7f.1`). IPv4-mapped IPv6 ranges are folded into IPv4 because
 * that is how the policy judges mapped addresses. Throws an Error naming `source` and the entry.
 */
export function parseCidr(entry: string, source: string): CidrRange {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);

  let address: IpAddress;
  if (ipaddr.IPv4.isValidFourPartDecimal(addressText)) address = ipaddr.IPv4.parse(addressText);
  else if (ipaddr.IPv6.isValid(addressText) && !addressText.includes('%')) address = ipaddr.IPv6.parse(addressText);
  else throw new Error(`${source} entry "${entry}" is not valid: ${EXAMPLE}`);

  const maxBits = address.kind() === 'ipv4' ? 32 : 128;
  const bits = prefixText === undefined ? maxBits : Number(prefixText);
  if (prefixText !== undefined && (!/^\d{1,3}$/.test(prefixText) || bits > maxBits)) {
    throw new Error(`${source} entry "${entry}" has an invalid prefix length: expected 0-${maxBits} after the "/"`);
  }

  const unwrapped = unwrapIpv4Mapped(address);
  if (unwrapped !== address && bits >= 96) return [unwrapped, bits - 96];
  return [address, bits];
}

/** The canonical text of a parsed range, e.g. `127.0.0.1/32`. */
export function formatCidr([address, bits]: CidrRange): string {
  return `${address.toString()}/${bits}`;
}

/**
 * Reads the `SSRF_ALLOW_CIDRS` environment variable (a comma-separated list of CIDR ranges or single addresses) into
 * canonical CIDR strings for `createAddressPolicy({ allowCidrs })`. Unset or blank means none; blank entries are
 * skipped. Throws an Error naming the variable and the bad entry. Only tests and local development should set it:
 * every entry opens an internal range to tenant-supplied URLs.
 */
export function allowCidrsFromEnv(value: string | undefined, variableName = 'SSRF_ALLOW_CIDRS'): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => formatCidr(parseCidr(entry, variableName)));
}
