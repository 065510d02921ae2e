import type { EndpointAuthV1, EndpointClientCertificateV1 } from '@hookline/contracts';

// What of an endpoint's credentials the read side may show (the API's endpoint view and the audit log alike): never
// anything sealed, so neither becomes a place to harvest credentials from.

/** OAuth 2.0 auth without its sealed client secret: which token URL and client are used is worth showing. */
export function shownAuth(auth: EndpointAuthV1 | null | undefined) {
  return auth ? { type: auth.type, token_url: auth.token_url, client_id: auth.client_id, scope: auth.scope, audience: auth.audience, client_auth: auth.client_auth } : null;
}

/** A client certificate by its fingerprint and expiry, without the sealed key (nor the PEM, long and of no use here). */
export function shownClientCertificate(certificate: EndpointClientCertificateV1 | null | undefined) {
  return certificate ? { fingerprint_sha256: certificate.fingerprint_sha256, not_after: certificate.not_after } : null;
}
