/** The guarded connection could not resolve the endpoint's host name (no answer, resolver error or lookup timeout). */
export class DnsLookupError extends Error {
  readonly code = 'DNS_LOOKUP_FAILED';

  constructor(
    readonly host: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`could not resolve ${host}: ${detail}`, options);
    this.name = 'DnsLookupError';
  }
}
