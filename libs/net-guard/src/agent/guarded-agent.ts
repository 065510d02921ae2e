import type { SecureContextOptions } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { NET_GUARD_DEFAULTS } from '../net-guard.defaults';
import type { AddressPolicy } from '../policy/address-policy';
import { createGuardedConnector } from './guarded-connector';
import { createProxyTunnelConnector } from './proxy-tunnel';
import { GuardedLookup, systemLookup } from './guarded-lookup';

/** Options for {@link createGuardedAgent}. Durations are milliseconds; defaults come from `NET_GUARD_DEFAULTS`. */
export interface GuardedAgentOptions {
  /** Which destinations may be reached; checked for every new connection. */
  policy: AddressPolicy;
  /** Resolver called once per new connection; defaults to the system resolver. */
  lookup?: GuardedLookup;
  /** Budget for the lookup, and separately for TCP + TLS connect. */
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are closed after this long (capped by the receiver's own Keep-Alive hint). */
  keepAliveTimeoutMs?: number;
  /** Maximum sockets per receiver origin. */
  connectionsPerOrigin?: number;
  /**
   * Trust anchors (PEM) that REPLACE the default root store: for tests, or, with `tls.rootCertificates` included, to
   * trust a private PKI besides the public roots (the dispatcher's DELIVERY_EXTRA_CA_FILE).
   */
  ca?: SecureContextOptions['ca'];
  /** PEM certificate (chain) and private key presented to https receivers that ask for one (mutual TLS). */
  clientCertificate?: { cert: string; key: string };
  /**
   * `http://[user:password@]host:port` of an HTTP CONNECT proxy every connection goes through (static egress
   * addresses). Names are still resolved and vetted here; the proxy is asked for the vetted IP.
   */
  proxyUrl?: string;
}

/**
 * An undici Agent for webhook delivery whose every new connection resolves the host once with `lookup`, refuses the
 * connection (with `SsrfRefusedError`, failing only that request) unless the name and ALL its addresses pass
 * the policy, then connects to the first vetted address while keeping the host name for SNI, certificate checks
 * and the Host header. Keep-alive sockets are pooled per origin.
 */
export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const connectTimeoutMs = options.connectTimeoutMs ?? NET_GUARD_DEFAULTS.connectTimeoutMs;
  const keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? NET_GUARD_DEFAULTS.keepAliveTimeoutMs;
  const tlsOptions = {
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.clientCertificate === undefined ? {} : { cert: options.clientCertificate.cert, key: options.clientCertificate.key }),
  };
  const connect = options.proxyUrl
    ? createProxyTunnelConnector({ proxyUrl: options.proxyUrl, connectTimeoutMs, tls: tlsOptions })
    : buildConnector({ timeout: connectTimeoutMs, keepAlive: true, ...tlsOptions });
  return new Agent({
    connect: createGuardedConnector(connect, options.policy, options.lookup ?? systemLookup, connectTimeoutMs),
    connections: options.connectionsPerOrigin ?? NET_GUARD_DEFAULTS.connectionsPerOrigin,
    keepAliveTimeout: keepAliveTimeoutMs,
    keepAliveMaxTimeout: keepAliveTimeoutMs,
    pipelining: 1,
  });
}
