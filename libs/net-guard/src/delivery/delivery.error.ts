/**
 * Why a delivery attempt produced no HTTP response:
 * - `timeout`: the overall, headers or body deadline passed after the connection was made, so the receiver may
 *   have processed the request;
 * - `connect`: the request never reached the receiver (refused, unreachable, reset or timed out while connecting);
 * - `dns`: the host name did not resolve;
 * - `ssrf_refused`: the address policy refused the host or one of its addresses, nothing was sent;
 * - `tls`: the TLS handshake or certificate check failed;
 * - `network`: the connection failed after it was made (reset, closed early, malformed response);
 * - `redirect`: never thrown by `postWebhook`, which returns a 3xx as a normal response; it exists so the caller can
 *   record a 3xx (a failed delivery, redirects are not followed) in the same vocabulary.
 */
export type DeliveryErrorClass = 'timeout' | 'connect' | 'dns' | 'ssrf_refused' | 'redirect' | 'tls' | 'network';

/**
 * A delivery attempt that failed without an HTTP response. The message names the endpoint's origin but never its
 * path or query, which often carry a tenant's token; the original error is kept as `cause`.
 */
export class DeliveryError extends Error {
  readonly class: DeliveryErrorClass;

  constructor(errorClass: DeliveryErrorClass, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.class = errorClass;
  }
}
