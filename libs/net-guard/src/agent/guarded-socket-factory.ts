import type { LookupAddress } from 'node:dns';
import net, { isIP } from 'node:net';
import tls from 'node:tls';
import { NET_GUARD_DEFAULTS } from '../net-guard.defaults';
import type { AddressPolicy } from '../policy/address-policy';
import { normaliseHostname } from '../policy/host-names';
import { GuardedLookup, systemLookup } from './guarded-lookup';
import { resolveVettedAddress } from './resolve-vetted-address';
import { SsrfRefusedError } from './ssrf-refused.error';

/** Options for {@link createGuardedSocketFactory}. */
export interface GuardedSocketFactoryOptions {
  /** Which destinations may be reached; checked for every new connection. */
  policy: AddressPolicy;
  /** Resolver called once per new connection; defaults to the system resolver. */
  lookup?: GuardedLookup;
  /** Budget for the lookup. */
  lookupTimeoutMs?: number;
}

/** The arguments kafkajs passes its `socketFactory` (kafkajs' ISocketFactory), for each connection to each broker. */
export interface SocketFactoryArgs {
  host: string;
  port: number;
  /** The client's `ssl` setting: `true`, TLS options, or nothing for plaintext. */
  ssl?: tls.ConnectionOptions | boolean | null;
  onConnect: () => void;
}

/** A kafkajs `socketFactory`: it must hand back the socket at once, so vetting happens while the socket connects. */
export type GuardedSocketFactory = (args: SocketFactoryArgs) => net.Socket;

// As kafkajs' own factory: idle broker connections are probed, so a dead peer is noticed.
const KEEP_ALIVE_DELAY_MS = 60_000;

/**
 * A kafkajs `socketFactory` under the address policy, for every connection a client opens: to the bootstrap brokers
 * and to each broker the cluster's metadata advertises (which a hostile cluster could point anywhere). An IP literal
 * is judged before a socket exists; a name is resolved once and the socket dials exactly the vetted address, through
 * the socket's own `lookup` hook (see `resolveVettedAddress`), so there is no second resolution to rebind. A refused
 * host gets a socket that fails with `SsrfRefusedError` (code `SSRF_REFUSED`) without ever connecting. TLS still
 * presents and verifies the broker's name (SNI + certificate).
 */
export function createGuardedSocketFactory(options: GuardedSocketFactoryOptions): GuardedSocketFactory {
  const { policy } = options;
  const resolver = options.lookup ?? systemLookup;
  const timeoutMs = options.lookupTimeoutMs ?? NET_GUARD_DEFAULTS.connectTimeoutMs;
  const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
    resolveVettedAddress(hostname, policy, resolver, timeoutMs).then(
      (address) => {
        const family = isIP(address);
        // With autoSelectFamily (Node's default since 20) the socket asks for every address; it gets the vetted one only.
        if (lookupOptions.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
        else callback(null, address, family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  return ({ host, port, ssl, onConnect }) => {
    const name = normaliseHostname(host);
    // Node dials an IP literal without calling `lookup`: it is judged here, and a refused one never gets a socket that connects.
    if (isIP(name)) {
      const verdict = policy.check(name);
      if (!verdict.allowed) return refusedSocket(new SsrfRefusedError(name, undefined, verdict.reason));
    }
    const socket = ssl
      ? tls.connect({ host: name, port, lookup, ...(isIP(name) ? {} : { servername: name }), ...(typeof ssl === 'object' ? ssl : {}) }, onConnect)
      : net.connect({ host: name, port, lookup }, onConnect);
    // One small produce request per attempt: Nagle's algorithm would hold it behind the previous one's ACK.
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    return socket;
  };
}

/** A socket that never connects and fails with `error` once its user (kafkajs) has attached its listeners. */
function refusedSocket(error: Error): net.Socket {
  const socket = new net.Socket();
  process.nextTick(() => socket.destroy(error));
  return socket;
}
