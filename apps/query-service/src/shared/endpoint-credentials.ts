import type { EndpointAuthV1, EndpointClientCertificateV1 } from '@hookline/contracts';

// What of an endpoint's credentials the read side may show (the API's endpoint view and the audit log alike): never
// anything sealed, so neither becomes a place to harvest credentials from.

/**
 * Auth without its sealed secret: OAuth 2.0's token URL and client, Kafka SASL's mechanism and user name, an AMQP
 * login's user name, are worth showing; the client secret and the password never are. Listed field by field, so a field added to the contract is
 * shown only once someone decided it may be.
 */
export function shownAuth(auth: EndpointAuthV1 | null | undefined) {
  if (!auth) return null;
  switch (auth.type) {
    case 'oauth2_client_credentials':
      return { type: auth.type, token_url: auth.token_url, client_id: auth.client_id, scope: auth.scope, audience: auth.audience, client_auth: auth.client_auth };
    case 'kafka_sasl':
      return { type: auth.type, mechanism: auth.mechanism, username: auth.username };
    case 'amqp_plain':
      return { type: auth.type, username: auth.username };
    default: {
      // An auth type this service does not know yet (written by a newer command service): its kind only, nothing of its values.
      const unknown: never = auth;
      return { type: (unknown as { type: string }).type };
    }
  }
}

/** A client certificate by its fingerprint and expiry, without the sealed key (nor the PEM, long and of no use here). */
export function shownClientCertificate(certificate: EndpointClientCertificateV1 | null | undefined) {
  return certificate ? { fingerprint_sha256: certificate.fingerprint_sha256, not_after: certificate.not_after } : null;
}
