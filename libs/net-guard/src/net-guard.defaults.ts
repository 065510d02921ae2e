/**
 * Defaults for outbound webhook HTTP, in one place so the dispatcher's configuration can override them by name.
 */
export const NET_GUARD_DEFAULTS = {
  /** TCP (+ TLS) connect budget; the guarded DNS lookup gets the same budget before it. */
  connectTimeoutMs: 5_000,
  /**
   * Idle keep-alive sockets are closed after this long. Node's own server closes idle sockets after 5 s, so staying
   * below that avoids reusing a socket the receiver is about to close.
   */
  keepAliveTimeoutMs: 4_000,
  /** Upper bound on sockets per receiver origin; the dispatcher's per-endpoint in-flight budget sits below it. */
  connectionsPerOrigin: 16,
  /** How much of a receiver's response body is kept for the delivery log. */
  maxResponseBytes: 4_096,
  /**
   * After the kept prefix, up to this many more bytes are read and discarded so the keep-alive socket can be reused;
   * a longer body costs us the socket instead of the bandwidth.
   */
  maxDrainBytes: 64 * 1024,
} as const;
