import { isIP } from 'node:net';
import type { buildConnector } from 'undici';
import type { AddressPolicy } from '../policy/address-policy';
import type { GuardedLookup } from './guarded-lookup';
import { keepTlsAlerts } from './keep-tls-alerts';
import { resolveVettedAddress } from './resolve-vetted-address';

/**
 * Wraps undici's connector so every new socket goes to a vetted address: the host is resolved once and checked (see
 * `resolveVettedAddress`), then the underlying connector dials that IP literal, so Node never resolves the name a
 * second time. TLS still presents and verifies the original host name (SNI + certificate), and undici keeps sending
 * the original `Host` header because it builds it from the request URL, not from the socket.
 */
export function createGuardedConnector(
  connect: buildConnector.connector,
  policy: AddressPolicy,
  lookup: GuardedLookup,
  lookupTimeoutMs: number,
): buildConnector.connector {
  return (options, callback) => {
    resolveVettedAddress(options.hostname, policy, lookup, lookupTimeoutMs).then(
      (address) => {
        const servername = options.servername || (isIP(options.hostname) ? undefined : options.hostname);
        connect({ ...options, hostname: address, servername }, (error, socket) => {
          if (socket) keepTlsAlerts(socket);
          callback(error, socket as never);
        });
      },
      (error: Error) => callback(error, null),
    );
  };
}
