/**
 * A connection the address policy refused before any byte was sent: the host name itself (metadata, localhost) or one
 * of the addresses it resolved to is internal. `address` is undefined when the name was refused without resolving it.
 */
export class SsrfRefusedError extends Error {
  readonly code = 'SSRF_REFUSED';

  constructor(
    readonly host: string,
    readonly address: string | undefined,
    readonly reason: string,
  ) {
    const target = address === undefined || address === host ? host : `${host} (resolved to ${address})`;
    super(`refused to connect to ${target}: ${reason}; webhook endpoints must be publicly reachable`);
    this.name = 'SsrfRefusedError';
  }
}
