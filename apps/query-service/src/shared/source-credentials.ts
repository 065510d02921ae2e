import type { SourceHandshakeV1, SourceSettingsV1, SourceVerificationV1 } from '@hookline/contracts';

// What of an HTTP source's settings the read side may show (the sources table and view, and the audit log alike): never
// anything sealed, so neither becomes a place to harvest a provider's credentials from.

/**
 * How a source verifies its provider's requests: the scheme and its public parameters (header, algorithm, encoding,
 * prefix, user name, timestamp header, tolerance), never the sealed secret, password or key. Listed field by field, so a field added to
 * the contract is shown only once someone decided it may be.
 */
export function shownVerification(verification: SourceVerificationV1) {
  switch (verification.type) {
    case 'standard_webhooks':
    case 'stripe':
      return { type: verification.type, tolerance_seconds: verification.tolerance_seconds };
    case 'hmac':
      return { type: verification.type, header: verification.header, algorithm: verification.algorithm, encoding: verification.encoding,
        prefix: verification.prefix };
    case 'basic_auth':
      return { type: verification.type, username: verification.username };
    case 'api_key':
      return { type: verification.type, header: verification.header };
    case 'none':
    case 'graph_client_state':
      return { type: verification.type };
    case 'v0_hmac':
      return { type: verification.type, header: verification.header, timestamp_header: verification.timestamp_header,
        tolerance_seconds: verification.tolerance_seconds };
    default: {
      // A scheme this service does not know yet (written by a newer command service): its kind only, nothing of its values.
      const unknown: never = verification;
      return { type: (unknown as { type: string }).type };
    }
  }
}
export type ShownSourceVerification = ReturnType<typeof shownVerification>;

/**
 * The URL check a source answers, by its kind only: none has a public parameter, and Meta's has a sealed verify token.
 * Absent (a source written before handshakes) and null both mean none.
 */
export function shownHandshake(handshake: SourceHandshakeV1 | null | undefined): { type: SourceHandshakeV1['type'] } | null {
  return handshake ? { type: handshake.type } : null;
}

/**
 * A source's settings with its verification and handshake as shown above, field by field for the same reason. The rate
 * limit holds nothing secret; absent (a source written before rate limits) and null both mean none.
 */
export function shownSourceSettings(s: SourceSettingsV1) {
  return { name: s.name, description: s.description, verification: shownVerification(s.verification), event_type: s.event_type,
    idempotency: s.idempotency, payload_field: s.payload_field, channels: s.channels, enabled: s.enabled, handshake: shownHandshake(s.handshake),
    rate_limit: s.rate_limit ? { per_second: s.rate_limit.per_second, burst: s.rate_limit.burst } : null };
}
