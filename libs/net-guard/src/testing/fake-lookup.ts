import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { GuardedLookup } from '../agent/guarded-lookup';

/** Answers per host name: a fixed list, or a function of how many times that name was asked before (0-based). */
export type FakeZone = Record<string, readonly string[] | ((previousCalls: number) => readonly string[])>;

/** A resolver that never touches DNS, and the names it was asked for, in order. Unknown names fail with ENOTFOUND. */
export function fakeLookup(zone: FakeZone): { lookup: GuardedLookup; calls: string[] } {
  const calls: string[] = [];
  const lookup: GuardedLookup = (hostname, callback) => {
    const previous = calls.filter((name) => name === hostname).length;
    calls.push(hostname);
    const entry = zone[hostname];
    if (entry === undefined) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      setImmediate(() => callback(error, []));
      return;
    }
    const addresses = typeof entry === 'function' ? entry(previous) : entry;
    const answer: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
    setImmediate(() => callback(null, answer));
  };
  return { lookup, calls };
}
