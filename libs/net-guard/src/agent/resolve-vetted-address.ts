import { isIP } from 'node:net';
import type { AddressPolicy } from '../policy/address-policy';
import { isLocalhostName, normaliseHostname } from '../policy/host-names';
import { DnsLookupError } from './dns-lookup.error';
import type { GuardedLookup } from './guarded-lookup';
import { SsrfRefusedError } from './ssrf-refused.error';

/**
 * Turns a connection's host into the one address it may connect to, resolving at most once: an IP literal is checked
 * as is; a name is checked, resolved with `lookup`, and refused if ANY answer is refused (a name that also points
 * inside is not trusted with its public answers). The first answer is returned; connecting to exactly this address
 * (never the name) is what makes DNS rebinding between check and connect impossible.
 */
export function resolveVettedAddress(
  host: string,
  policy: AddressPolicy,
  lookup: GuardedLookup,
  timeoutMs: number,
): Promise<string> {
  const name = normaliseHostname(host);
  const nameVerdict = policy.checkHostname(name);
  if (!nameVerdict.allowed) return Promise.reject(new SsrfRefusedError(name, undefined, nameVerdict.reason));
  if (isIP(name)) return Promise.resolve(name);
  // RFC 6761: localhost names are answered locally, never by a resolver that could be told something else.
  if (isLocalhostName(name)) return Promise.resolve(policy.check('127.0.0.1').allowed ? '127.0.0.1' : '::1');

  return lookupOnce(name, lookup, timeoutMs).then((addresses) => {
    for (const address of addresses) {
      const verdict = policy.check(address);
      if (!verdict.allowed) throw new SsrfRefusedError(name, address, verdict.reason);
    }
    return addresses[0];
  });
}

function lookupOnce(name: string, lookup: GuardedLookup, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => finish(new DnsLookupError(name, `no answer within ${timeoutMs} ms`)), timeoutMs);
    function finish(error: Error | null, addresses: string[] = []): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses);
    }

    try {
      lookup(name, (error, answers) => {
        if (error) return finish(new DnsLookupError(name, error.code ?? error.message, { cause: error }));
        const addresses = (answers ?? []).map((answer) => answer.address);
        if (addresses.length === 0) return finish(new DnsLookupError(name, 'the resolver returned no addresses'));
        // Only canonical literals: anything else would make the socket resolve again, behind the policy's back.
        const odd = addresses.find((address) => isIP(address) === 0);
        if (odd !== undefined) return finish(new DnsLookupError(name, `the resolver returned "${odd}", not an IP address`));
        finish(null, addresses);
      });
    } catch (error) {
      finish(new DnsLookupError(name, error instanceof Error ? error.message : String(error), { cause: error }));
    }
  });
}
