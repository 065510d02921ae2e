import { createHmac } from 'node:crypto';
import { SourceVerificationV1 } from '@hookline/contracts';
import { WebhookVerificationError, verifyWebhook } from '@hookline/signing';
import { IncomingHeaders, firstHeader, sameText } from './same-text';

/** Why a request did not verify: logged and counted, never told to the caller beyond "signature did not verify". */
export type VerificationFailure = 'missing_signature' | 'no_matching_signature' | 'timestamp_out_of_tolerance' | 'malformed_signature';

export type Verified = { ok: true } | { ok: false; reason: VerificationFailure };

/** What a verifier checks: the raw body, byte for byte as received (signatures are over it), and the headers. */
export interface SignedRequest {
  headers: IncomingHeaders;
  body: Buffer;
  /** The receiver's clock, in whole Unix seconds. */
  nowSeconds: number;
}

const OK: Verified = { ok: true };
const fail = (reason: VerificationFailure): Verified => ({ ok: false, reason });

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`, or their `svix-*` aliases), by Hookline's
 * own verifier: any `v1,` signature of the `whsec_` secret, with the timestamp within the tolerance.
 */
export function verifyStandardWebhooks(v: Extract<SourceVerificationV1, { type: 'standard_webhooks' }>, secret: string, req: SignedRequest): Verified {
  try {
    verifyWebhook({ headers: req.headers, body: req.body, secrets: [secret], toleranceSeconds: v.tolerance_seconds, now: req.nowSeconds });
    return OK;
  } catch (err) {
    if (!(err instanceof WebhookVerificationError)) throw err;
    switch (err.reason) {
      case 'invalid-payload':
        return OK; // signed as sent, but not JSON: the body's own check answers that
      case 'missing-header':
        return fail('missing_signature');
      case 'timestamp-too-old':
      case 'timestamp-too-new':
        return fail('timestamp_out_of_tolerance');
      case 'invalid-header':
        return fail('malformed_signature');
      default:
        return fail('no_matching_signature');
    }
  }
}

/**
 * An HMAC of the raw body in one header, as `prefix` + hex or base64 digest (GitHub's `x-hub-signature-256: sha256=…`,
 * Shopify's `x-shopify-hmac-sha256`). Hex is compared in lower case; the secret is the key as the provider shows it.
 */
export function verifyHmac(v: Extract<SourceVerificationV1, { type: 'hmac' }>, secret: string, req: SignedRequest): Verified {
  const header = firstHeader(req.headers, v.header);
  if (header === undefined || header === '') return fail('missing_signature');
  if (!header.startsWith(v.prefix)) return fail('malformed_signature');
  const given = header.slice(v.prefix.length).trim();
  const expected = createHmac(v.algorithm, secret).update(req.body).digest(v.encoding);
  return sameText(v.encoding === 'hex' ? given.toLowerCase() : given, expected) ? OK : fail('no_matching_signature');
}

/** A signed timestamp: whole Unix seconds. */
const UNIX_SECONDS = /^\d{1,15}$/;

/**
 * Stripe's `stripe-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: an HMAC-SHA256 of `<t>.<body>` with the
 * endpoint's signing secret (`whsec_…`, used as is). Several `v1` entries appear while Stripe rolls a secret; any one
 * matching is enough. `t` must be within the tolerance either way (replays of an old request are refused).
 */
export function verifyStripe(v: Extract<SourceVerificationV1, { type: 'stripe' }>, secret: string, req: SignedRequest): Verified {
  const header = firstHeader(req.headers, 'stripe-signature');
  if (header === undefined || header === '') return fail('missing_signature');
  const entries = header.split(',').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? ['', ''] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
  });
  const timestamps = entries.filter(([k]) => k === 't').map(([, value]) => value);
  const signatures = entries.filter(([k]) => k === 'v1').map(([, value]) => value.toLowerCase());
  if (timestamps.length !== 1 || !UNIX_SECONDS.test(timestamps[0]) || signatures.length === 0) return fail('malformed_signature');
  if (Math.abs(req.nowSeconds - Number(timestamps[0])) > v.tolerance_seconds) return fail('timestamp_out_of_tolerance');
  const expected = createHmac('sha256', secret).update(`${timestamps[0]}.`).update(req.body).digest('hex');
  // Every entry is compared, so the time taken does not say which one matched.
  const matches = signatures.map((given) => sameText(given, expected));
  return matches.includes(true) ? OK : fail('no_matching_signature');
}

const V0_PREFIX = 'v0=';

/**
 * Slack's and Zoom's `v0` scheme: `<header>: v0=<hex>`, an HMAC-SHA256 of `v0:<timestamp>:<body>` with the app's
 * signing secret (Slack) or secret token (Zoom), the timestamp (Unix seconds) in `timestamp_header` and within the
 * tolerance either way, so a captured request cannot be replayed later.
 */
export function verifyV0Hmac(v: Extract<SourceVerificationV1, { type: 'v0_hmac' }>, secret: string, req: SignedRequest): Verified {
  const header = firstHeader(req.headers, v.header);
  const timestamp = firstHeader(req.headers, v.timestamp_header);
  if (!header || !timestamp) return fail('missing_signature');
  if (!header.startsWith(V0_PREFIX) || !UNIX_SECONDS.test(timestamp)) return fail('malformed_signature');
  if (Math.abs(req.nowSeconds - Number(timestamp)) > v.tolerance_seconds) return fail('timestamp_out_of_tolerance');
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(req.body).digest('hex');
  return sameText(header.slice(V0_PREFIX.length).trim().toLowerCase(), expected) ? OK : fail('no_matching_signature');
}
