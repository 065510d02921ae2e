import { KeyObject, createPublicKey, createSecretKey } from 'node:crypto';
import { decodeBase64Strict } from '../encoding/strict-base64';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_PUBLIC_KEY_PREFIX,
  ED25519_SECRET_KEY_PREFIX,
  ED25519_SEED_BYTES,
  HMAC_SECRET_MAX_BYTES,
  HMAC_SECRET_MIN_BYTES,
  HMAC_SECRET_PREFIX,
} from '../signing-constants';
import { ed25519PrivateKeyFromSeed, ed25519PublicKeyFromRaw, rawEd25519PublicKey } from './ed25519-key-objects';
import { SecretFormatError } from './secret-format-error';
import { maskSecret } from './mask-secret';

/**
 * A validated signing secret or key, decoded once into node:crypto KeyObjects.
 * - `hmac`: a `whsec_` secret; signs and verifies `v1` signatures.
 * - `ed25519-secret`: a `whsk_` key; signs `v1a` signatures (and verifies them through its public half).
 * - `ed25519-public`: a `whpk_` key; verifies `v1a` signatures.
 */
export type ParsedSecret =
  | { readonly kind: 'hmac'; readonly key: KeyObject }
  | { readonly kind: 'ed25519-secret'; readonly privateKey: KeyObject; readonly publicKey: KeyObject }
  | { readonly kind: 'ed25519-public'; readonly publicKey: KeyObject };

/** Which kind of secret a string holds, from its prefix. */
export type SecretKind = ParsedSecret['kind'];

/**
 * Validates a `whsec_…`, `whsk_…` or `whpk_…` string and decodes it.
 *
 * Formats (all standard base64, padding optional):
 * - `whsec_` + 24–64 random bytes (Standard Webhooks HMAC secret);
 * - `whsk_` + the 32-byte RFC 8032 ed25519 seed; the 64-byte `seed ‖ public key` form some ed25519 libraries
 *   emit is accepted too, provided its public half matches the seed;
 * - `whpk_` + the raw 32-byte ed25519 public key.
 *
 * @throws SecretFormatError naming what is wrong (prefix, encoding or length), never echoing the secret.
 */
export function parseSecret(secret: string): ParsedSecret {
  if (typeof secret !== 'string') throw new SecretFormatError(`a signing secret must be a string, got ${typeof secret}`);
  if (secret.startsWith(HMAC_SECRET_PREFIX)) return parseHmacSecret(secret);
  if (secret.startsWith(ED25519_SECRET_KEY_PREFIX)) return parseEd25519SecretKey(secret);
  if (secret.startsWith(ED25519_PUBLIC_KEY_PREFIX)) return parseEd25519PublicKey(secret);
  throw new SecretFormatError(
    `unrecognised signing secret ${maskSecret(secret)}: expected a ${HMAC_SECRET_PREFIX} (HMAC), ` +
      `${ED25519_SECRET_KEY_PREFIX} (ed25519 secret key) or ${ED25519_PUBLIC_KEY_PREFIX} (ed25519 public key) prefix`,
  );
}

function parseHmacSecret(secret: string): ParsedSecret {
  const bytes = decodeBody(secret, HMAC_SECRET_PREFIX, 'HMAC secret');
  if (bytes.length < HMAC_SECRET_MIN_BYTES || bytes.length > HMAC_SECRET_MAX_BYTES) {
    throw new SecretFormatError(
      `HMAC secret ${maskSecret(secret)} decodes to ${bytes.length} bytes; Standard Webhooks requires ` +
        `${HMAC_SECRET_MIN_BYTES}–${HMAC_SECRET_MAX_BYTES} (create one with generateHmacSecret())`,
    );
  }
  return { kind: 'hmac', key: createSecretKey(bytes) };
}

function parseEd25519SecretKey(secret: string): ParsedSecret {
  const bytes = decodeBody(secret, ED25519_SECRET_KEY_PREFIX, 'ed25519 secret key');
  const withPublicHalf = ED25519_SEED_BYTES + ED25519_PUBLIC_KEY_BYTES;
  if (bytes.length !== ED25519_SEED_BYTES && bytes.length !== withPublicHalf) {
    throw new SecretFormatError(
      `ed25519 secret key ${maskSecret(secret)} decodes to ${bytes.length} bytes; expected the ` +
        `${ED25519_SEED_BYTES}-byte seed (create one with generateEd25519KeyPair())`,
    );
  }
  const privateKey = ed25519PrivateKeyFromSeed(bytes.subarray(0, ED25519_SEED_BYTES));
  const publicKey = createPublicKey(privateKey);
  if (bytes.length === withPublicHalf && !rawEd25519PublicKey(publicKey).equals(bytes.subarray(ED25519_SEED_BYTES))) {
    throw new SecretFormatError(
      `ed25519 secret key ${maskSecret(secret)} is corrupt: its last ${ED25519_PUBLIC_KEY_BYTES} bytes are not ` +
        'the public key of its seed',
    );
  }
  return { kind: 'ed25519-secret', privateKey, publicKey };
}

function parseEd25519PublicKey(secret: string): ParsedSecret {
  const bytes = decodeBody(secret, ED25519_PUBLIC_KEY_PREFIX, 'ed25519 public key');
  if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new SecretFormatError(
      `ed25519 public key ${maskSecret(secret)} decodes to ${bytes.length} bytes; expected ${ED25519_PUBLIC_KEY_BYTES}`,
    );
  }
  return { kind: 'ed25519-public', publicKey: ed25519PublicKeyFromRaw(bytes) };
}

function decodeBody(secret: string, prefix: string, what: string): Buffer {
  const bytes = decodeBase64Strict(secret.slice(prefix.length));
  if (bytes === undefined) {
    throw new SecretFormatError(
      `${what} ${maskSecret(secret)} is not valid base64 after the ${prefix} prefix ` +
        '(standard alphabet A–Z a–z 0–9 + /, optional = padding)',
    );
  }
  return bytes;
}
