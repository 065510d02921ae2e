import { NET_GUARD_DEFAULTS } from '../net-guard.defaults';
import type { AddressPolicy } from '../policy/address-policy';
import { GuardedLookup, systemLookup } from './guarded-lookup';
import { resolveVettedAddress } from './resolve-vetted-address';

/** Options for {@link createVettedAddressResolver}. */
export interface VettedAddressResolverOptions {
  policy: AddressPolicy;
  /** Resolver called once per host to connect to; defaults to the system resolver. */
  lookup?: GuardedLookup;
  /** Budget for the lookup. */
  lookupTimeoutMs?: number;
}

/** A host → the one address a connection to it may dial (rejects with SsrfRefusedError or DnsLookupError). */
export type VettedAddressResolver = (host: string) => Promise<string>;

/**
 * For clients that open their own sockets from a host and port (amqplib): the host judged and resolved once under the
 * address policy, exactly as the guarded agent does it (see `resolveVettedAddress`). The caller dials the address it
 * gets, never the name, and gives TLS the name as its servername, so nothing can rebind the name in between.
 */
export function createVettedAddressResolver(options: VettedAddressResolverOptions): VettedAddressResolver {
  const lookup = options.lookup ?? systemLookup;
  const timeoutMs = options.lookupTimeoutMs ?? NET_GUARD_DEFAULTS.connectTimeoutMs;
  return (host) => resolveVettedAddress(host, options.policy, lookup, timeoutMs);
}
