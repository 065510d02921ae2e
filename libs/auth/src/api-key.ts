import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key secrets: `hk_live_` + 40 base64url chars. The fixed prefix lets log masking and secret scanners recognise
 * a key anywhere; the first 16 characters are shown in listings as a hint.
 */
const KEY_PREFIX = 'hk_live_';

/** Creates a new API key secret. It is shown once; only its hash is ever stored or put on the log. */
export function generateApiKeySecret(): string {
  return `${KEY_PREFIX}${randomBytes(30).toString('base64url')}`;
}

/** SHA-256 hex of a key secret: keys are high-entropy random strings, so a fast hash is safe and lookups stay O(1). */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part of a key shown in listings. */
export function apiKeyHint(secret: string): string {
  return secret.slice(0, 16);
}

/** A new key: the secret to show its owner once, and what is stored and put on the log in its place. */
export interface MintedApiKey {
  secret: string;
  hash: string;
  prefix: string;
}

/** Mints a key (an API key or a portal session's token alike): a new secret, its hash and its listing hint. */
export function mintApiKey(): MintedApiKey {
  const secret = generateApiKeySecret();
  return { secret, hash: hashApiKey(secret), prefix: apiKeyHint(secret) };
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Reads the bearer token from an `Authorization` header value; null when absent or malformed. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : null;
}
