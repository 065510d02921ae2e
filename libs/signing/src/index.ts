/**
 * @hookline/signing — Standard Webhooks signing for senders (`signPayload`, `webhookHeaders`), verification for
 * receivers (`verifyWebhook`), secret generation and parsing, and sealing of secrets at rest (`sealSecret`).
 *
 * Key formats: `whsec_` + base64 of 24–64 bytes (HMAC-SHA256, `v1` signatures); `whsk_` + base64 of the raw
 * 32-byte ed25519 seed and `whpk_` + base64 of the raw 32-byte ed25519 public key (`v1a` signatures).
 */

/** Creates a new `whsec_` HMAC secret (32 random bytes). */
export { generateHmacSecret } from './secrets/generate-secret';
/** Creates a new ed25519 `whsk_` / `whpk_` key pair. */
export { generateEd25519KeyPair } from './secrets/generate-secret';
/** Derives the `whpk_` public key of a `whsk_` secret key. */
export { deriveEd25519PublicKey } from './secrets/generate-secret';
/** An ed25519 key pair in `whsk_` / `whpk_` string form. */
export type { Ed25519KeyPair } from './secrets/generate-secret';
/** Validates and decodes a `whsec_` / `whsk_` / `whpk_` string. */
export { parseSecret } from './secrets/parse-secret';
/** A validated, decoded secret, and the kinds it can be. */
export type { ParsedSecret, SecretKind } from './secrets/parse-secret';
/** Thrown for malformed or misused signing secrets. */
export { SecretFormatError } from './secrets/secret-format-error';
/** Masks a secret for logs: `whsec_abcd…`. */
export { maskSecret } from './secrets/mask-secret';

/** Computes the `webhook-signature` header value for a message. */
export { signPayload } from './sign/sign-payload';
/** The input of `signPayload` / `webhookHeaders`, and one active secret. */
export type { SignPayloadInput, SigningSecret } from './sign/sign-payload';
/** Builds the three Standard Webhooks headers for a delivery attempt. */
export { webhookHeaders } from './sign/webhook-headers';
/** The three Standard Webhooks headers. */
export type { WebhookHeaders } from './sign/webhook-headers';
/** A body as sent (string = UTF-8). */
export type { WebhookBody } from './sign/signature-schemes';
/** A Date or whole Unix seconds. */
export type { WebhookTimestamp } from './sign/unix-timestamp';

/** Verifies a received webhook and returns its parsed JSON body. */
export { verifyWebhook } from './verify/verify-webhook';
/** The input of `verifyWebhook`. */
export type { VerifyWebhookInput } from './verify/verify-webhook';
/** Request headers as a plain object or a Fetch `Headers`. */
export type { WebhookRequestHeaders } from './verify/read-webhook-headers';
/** Thrown when a webhook must not be trusted, with a machine-readable reason. */
export { WebhookVerificationError } from './verify/webhook-verification-error';
/** The reasons a webhook can be rejected. */
export type { WebhookVerificationFailure } from './verify/webhook-verification-error';
/** Receivers' default clock tolerance (300 s, Standard Webhooks). */
export { DEFAULT_TOLERANCE_SECONDS } from './signing-constants';

/** Encrypts a secret for storage (`enc:v1:…`, AES-256-GCM). */
export { sealSecret } from './sealing/seal-secret';
/** Decrypts an `enc:v1:…` value. */
export { openSecret } from './sealing/seal-secret';
/** Seals a value a previous key sealed anew under the current key (null when the current key sealed it). */
export { resealSecret } from './sealing/seal-secret';
/** True when a value is an `enc:v1:…` sealed secret. */
export { isSealedSecret } from './sealing/seal-secret';
/** Parses the 32-byte `SECRETS_ENCRYPTION_KEY` (hex or base64). */
export { parseSealingKey } from './sealing/sealing-key';
/** Parses the current sealing key and the previous ones that still open what they sealed. */
export { parseSealingKeys } from './sealing/sealing-key';
/** A parsed sealing key; the current key and the previous ones. */
export type { SealingKey, SealingKeys } from './sealing/sealing-key';
/** Thrown for unusable sealing keys and sealed values that cannot be opened. */
export { SecretSealingError } from './sealing/secret-sealing-error';
