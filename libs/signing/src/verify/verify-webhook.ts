import { timingSafeEqual } from 'node:crypto';
import { decodeBase64Strict } from '../encoding/strict-base64';
import { parseSecretCached } from '../secrets/key-cache';
import { SecretFormatError } from '../secrets/secret-format-error';
import {
  DEFAULT_TOLERANCE_SECONDS,
  ED25519_SIGNATURE_BYTES,
  ED25519_SIGNATURE_VERSION,
  HMAC_SIGNATURE_VERSION,
} from '../signing-constants';
import {
  WebhookBody,
  hmacSignature,
  signedContent,
  signedContentPrefix,
  verifyEd25519Signature,
} from '../sign/signature-schemes';
import { WebhookTimestamp, toUnixSeconds } from '../sign/unix-timestamp';
import { WebhookRequestHeaders, readWebhookHeaders } from './read-webhook-headers';
import { WebhookVerificationError } from './webhook-verification-error';

/** What a receiver checks: the raw request, the secrets it trusts, and how much clock skew it accepts. */
export interface VerifyWebhookInput {
  /** The request headers (`webhook-*` or `svix-*`, any casing). */
  readonly headers: WebhookRequestHeaders;
  /** The raw request body, byte for byte as received: never a re-serialised JSON object. */
  readonly body: WebhookBody;
  /** Trusted secrets: `whsec_` HMAC secrets and/or `whpk_` ed25519 public keys (`whsk_` also works). */
  readonly secrets: readonly string[];
  /** Maximum distance between `webhook-timestamp` and `now`, either way. Default 300 (Standard Webhooks). */
  readonly toleranceSeconds?: number;
  /** The receiver's clock; defaults to the current time. */
  readonly now?: WebhookTimestamp;
}

const TIMESTAMP_HEADER = /^\d{1,15}$/;

/**
 * Verifies a Standard Webhooks request and returns its JSON-parsed body.
 *
 * The timestamp must be within `toleranceSeconds` of `now`; then the request is accepted when ANY signature in the
 * header (`v1,` HMAC or `v1a,` ed25519, space-separated) matches ANY of the secrets, so a receiver in the middle of a
 * rotation can pass both its old and new secret. HMAC signatures are compared in constant time.
 *
 * @throws WebhookVerificationError with `reason` `missing-header`, `invalid-header`, `timestamp-too-old`,
 *   `timestamp-too-new`, `no-matching-signature` or `invalid-payload`.
 * @throws SecretFormatError when `secrets` is empty or holds a malformed secret (a receiver configuration error,
 *   not a bad request).
 */
export function verifyWebhook<T = unknown>(input: VerifyWebhookInput): T {
  const { body, secrets } = input;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`toleranceSeconds must be a non-negative number of seconds, got ${tolerance}`);
  }
  if (secrets.length === 0) {
    throw new SecretFormatError('verifyWebhook needs at least one secret (whsec_… or whpk_…) to check signatures against');
  }
  const keys = secrets.map(parseSecretCached);

  const headers = readWebhookHeaders(input.headers);
  const timestamp = parseTimestampHeader(headers.timestamp);
  checkFreshness(timestamp, toUnixSeconds(input.now ?? new Date(), 'now'), tolerance);

  const prefix = signedContentPrefix(headers.id, timestamp);
  const hmacExpected: Buffer[] = [];
  for (const key of keys) {
    if (key.kind === 'hmac') hmacExpected.push(Buffer.from(hmacSignature(key.key, prefix, body), 'utf8'));
  }
  const publicKeys = keys.flatMap((key) => (key.kind === 'hmac' ? [] : [key.publicKey]));
  let content: Buffer | undefined;

  for (const candidate of headers.signature.split(' ')) {
    const comma = candidate.indexOf(',');
    if (comma < 0) continue;
    const version = candidate.slice(0, comma);
    const value = candidate.slice(comma + 1);
    if (version === HMAC_SIGNATURE_VERSION) {
      const given = Buffer.from(value, 'utf8');
      if (hmacExpected.some((expected) => constantTimeEqual(given, expected))) return parsePayload<T>(body);
    } else if (version === ED25519_SIGNATURE_VERSION && publicKeys.length > 0) {
      const signature = decodeBase64Strict(value);
      if (signature === undefined || signature.length !== ED25519_SIGNATURE_BYTES) continue;
      content ??= signedContent(prefix, body);
      const signed = content;
      if (publicKeys.some((publicKey) => verifyEd25519Signature(publicKey, signed, signature))) {
        return parsePayload<T>(body);
      }
    }
  }
  throw new WebhookVerificationError(
    'no-matching-signature',
    'no signature in the webhook-signature header matches any of the given secrets ' +
      '(wrong secret, a body changed after signing, or a body re-serialised before verifying)',
  );
}

function parseTimestampHeader(raw: string): number {
  const trimmed = raw.trim();
  if (!TIMESTAMP_HEADER.test(trimmed)) {
    throw new WebhookVerificationError(
      'invalid-header',
      `webhook-timestamp must be whole Unix seconds, got '${trimmed.slice(0, 32)}'`,
    );
  }
  return Number(trimmed);
}

function checkFreshness(timestamp: number, now: number, tolerance: number): void {
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      'timestamp-too-old',
      `webhook-timestamp is ${now - timestamp} s in the past, beyond the ${tolerance} s tolerance ` +
        '(a replayed request, or this clock is ahead)',
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      'timestamp-too-new',
      `webhook-timestamp is ${timestamp - now} s in the future, beyond the ${tolerance} s tolerance ` +
        '(the sender clock is ahead, or this clock is behind)',
    );
  }
}

/** timingSafeEqual throws on unequal lengths; a length mismatch is simply "not equal" (the length is public). */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parsePayload<T>(body: WebhookBody): T {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new WebhookVerificationError(
      'invalid-payload',
      `the signature is valid but the body is not JSON: ${(error as Error).message}`,
    );
  }
}
