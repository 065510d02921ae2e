import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  ED25519_PUBLIC_KEY_PREFIX,
  ED25519_SECRET_KEY_PREFIX,
  HMAC_SECRET_GENERATED_BYTES,
  HMAC_SECRET_PREFIX,
} from '../signing-constants';
import { rawEd25519PublicKey, rawEd25519Seed } from './ed25519-key-objects';
import { parseSecret } from './parse-secret';
import { SecretFormatError } from './secret-format-error';

/** An ed25519 signing key pair in Standard Webhooks string form. */
export interface Ed25519KeyPair {
  /** `whsk_` + base64 of the raw 32-byte RFC 8032 seed. Keep it secret; it signs `v1a` signatures. */
  readonly secretKey: string;
  /** `whpk_` + base64 of the raw 32-byte public key. Give it to receivers; it verifies `v1a` signatures. */
  readonly publicKey: string;
}

/** A new Standard Webhooks HMAC secret: `whsec_` + base64 (padded) of 32 random bytes. */
export function generateHmacSecret(): string {
  return HMAC_SECRET_PREFIX + randomBytes(HMAC_SECRET_GENERATED_BYTES).toString('base64');
}

/** A new ed25519 key pair: `whsk_` + base64 of the 32-byte seed, `whpk_` + base64 of the 32-byte public key. */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    secretKey: ED25519_SECRET_KEY_PREFIX + rawEd25519Seed(privateKey).toString('base64'),
    publicKey: ED25519_PUBLIC_KEY_PREFIX + rawEd25519PublicKey(publicKey).toString('base64'),
  };
}

/**
 * The `whpk_` public key that verifies signatures made with a `whsk_` secret key, e.g. to show it to an endpoint
 * owner after the secret was stored.
 * @throws SecretFormatError when `secretKey` is not a valid `whsk_` key.
 */
export function deriveEd25519PublicKey(secretKey: string): string {
  const parsed = parseSecret(secretKey);
  if (parsed.kind !== 'ed25519-secret') {
    throw new SecretFormatError(`expected a ${ED25519_SECRET_KEY_PREFIX} ed25519 secret key, got a ${parsed.kind} secret`);
  }
  return ED25519_PUBLIC_KEY_PREFIX + rawEd25519PublicKey(parsed.publicKey).toString('base64');
}
