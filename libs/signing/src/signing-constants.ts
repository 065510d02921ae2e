/**
 * Sizes, prefixes and defaults of the Standard Webhooks scheme, in one place so a limit is never a literal
 * buried in the code that enforces it.
 */

/** Prefix of a symmetric (HMAC-SHA256) signing secret. */
export const HMAC_SECRET_PREFIX = 'whsec_';
/** Prefix of an ed25519 secret (signing) key. */
export const ED25519_SECRET_KEY_PREFIX = 'whsk_';
/** Prefix of an ed25519 public (verification) key. */
export const ED25519_PUBLIC_KEY_PREFIX = 'whpk_';

/** Standard Webhooks: an HMAC secret is 24–64 random bytes. */
export const HMAC_SECRET_MIN_BYTES = 24;
export const HMAC_SECRET_MAX_BYTES = 64;
/** What we generate: comfortably inside the range, and the SHA-256 block-friendly size. */
export const HMAC_SECRET_GENERATED_BYTES = 32;

/** RFC 8032: an ed25519 private key is a 32-byte seed, a public key is 32 bytes, a signature 64 bytes. */
export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** Signature scheme labels inside `webhook-signature`. */
export const HMAC_SIGNATURE_VERSION = 'v1';
export const ED25519_SIGNATURE_VERSION = 'v1a';

/** Standard Webhooks: receivers accept timestamps within ±5 minutes of their clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Decoded keys kept per process. The dispatcher signs with a few secrets per endpoint; the bound only stops a
 * process that sees many tenants from growing without limit.
 */
export const KEY_CACHE_MAX_ENTRIES = 1024;
