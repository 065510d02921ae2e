import { SourceVerificationV1 } from '@hookline/contracts';
import { verifyApiKey, verifyBasicAuth, verifyGraphClientState } from './credential-verifiers';
import { SignedRequest, Verified, verifyHmac, verifyStandardWebhooks, verifyStripe, verifyV0Hmac } from './signature-verifiers';

/**
 * Whether a request comes from the source's provider, by the source's verification. `open` turns a sealed secret into
 * its plaintext (it throws when no configured sealing key opens it).
 */
export function verifySourceRequest(v: SourceVerificationV1, open: (sealed: string) => string, req: SignedRequest): Verified {
  switch (v.type) {
    case 'standard_webhooks':
      return verifyStandardWebhooks(v, open(v.secret_sealed), req);
    case 'hmac':
      return verifyHmac(v, open(v.secret_sealed), req);
    case 'stripe':
      return verifyStripe(v, open(v.secret_sealed), req);
    case 'v0_hmac':
      return verifyV0Hmac(v, open(v.secret_sealed), req);
    case 'basic_auth':
      return verifyBasicAuth(v, open(v.password_sealed), req.headers);
    case 'api_key':
      return verifyApiKey(v, open(v.key_sealed), req.headers);
    case 'graph_client_state':
      return verifyGraphClientState(open(v.secret_sealed), req.body);
    case 'none':
      return { ok: true };
    default: {
      const unknown: never = v;
      throw new Error(`unhandled verification: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The sealed secret of a verification that signs with one (Zoom's handshake answers with it); it throws for one without. */
export function sealedSecretOf(v: SourceVerificationV1): string {
  if ('secret_sealed' in v) return v.secret_sealed;
  throw new Error(`a ${v.type} verification has no signing secret`);
}
