import dns, { LookupAddress } from 'node:dns';

/**
 * A host-name resolver with the callback shape of `dns.lookup(hostname, { all: true }, callback)`: every address, in
 * the order the connection should prefer them. Tests pass a fake one; production uses {@link systemLookup}.
 */
export type GuardedLookup = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: readonly LookupAddress[]) => void,
) => void;

/** The operating system's resolver (getaddrinfo), all addresses in resolver order. */
export const systemLookup: GuardedLookup = (hostname, callback) =>
  dns.lookup(hostname, { all: true, verbatim: true }, callback);
