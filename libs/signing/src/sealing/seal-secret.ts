import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeBase64UrlStrict } from '../encoding/strict-base64';
import { SealingKey, SealingKeys } from './sealing-key';
import { SecretSealingError } from './secret-sealing-error';

const SEALED_PREFIX = 'enc:v1:';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The format version is authenticated too, so a value cannot be relabelled as another format version. */
const ADDITIONAL_DATA = Buffer.from(SEALED_PREFIX, 'utf8');

const isKeys = (keys: SealingKey | SealingKeys): keys is SealingKeys => 'current' in keys;

/**
 * Encrypts a secret for storage or for an event: AES-256-GCM with a fresh random 96-bit IV, written as
 * `enc:v1:<base64url iv>.<base64url ciphertext>.<base64url tag>`, under the current key when given a key ring.
 * Sealing the same plaintext twice gives different values; each opens with {@link openSecret} and the same key.
 */
export function sealSecret(plaintext: string, keys: SealingKey | SealingKeys): string {
  const key = isKeys(keys) ? keys.current : keys;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(ADDITIONAL_DATA);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${SEALED_PREFIX}${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
}

/**
 * Decrypts a value made by {@link sealSecret}, with the key that sealed it: given a key ring, the current key and
 * then each previous one (a value names no key; GCM's tag tells a wrong key at once).
 * @throws SecretSealingError when the value is not `enc:v1:…`, is malformed, was modified, or was sealed under a
 *   key not given (GCM cannot tell the last two apart).
 */
export function openSecret(sealed: string, keys: SealingKey | SealingKeys): string {
  return openWithKeys(sealed, keys).plaintext;
}

/** The plaintext, and whether the first key given (the current one) opened it. */
function openWithKeys(sealed: string, keys: SealingKey | SealingKeys): { plaintext: string; byCurrent: boolean } {
  if (!isSealedSecret(sealed)) {
    throw new SecretSealingError(`not a sealed secret: expected a value starting with ${SEALED_PREFIX}`);
  }
  const parts = sealed.slice(SEALED_PREFIX.length).split('.');
  if (parts.length !== 3) {
    throw new SecretSealingError(`malformed sealed secret: expected ${SEALED_PREFIX}<iv>.<ciphertext>.<tag>`);
  }
  const [iv, ciphertext, tag] = parts.map(decodeBase64UrlStrict);
  if (iv === undefined || ciphertext === undefined || tag === undefined) {
    throw new SecretSealingError('malformed sealed secret: iv, ciphertext and tag must be base64url without padding');
  }
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretSealingError(
      `malformed sealed secret: expected a ${IV_BYTES}-byte iv and a ${TAG_BYTES}-byte tag, ` +
        `got ${iv.length} and ${tag.length}`,
    );
  }
  for (const [i, key] of (isKeys(keys) ? [keys.current, ...keys.previous] : [keys]).entries()) {
    const plaintext = decrypt(key, iv, ciphertext, tag);
    if (plaintext !== undefined) return { plaintext, byCurrent: i === 0 };
  }
  throw new SecretSealingError(
    'cannot open sealed secret: it was sealed with a different SECRETS_ENCRYPTION_KEY (and none of SECRETS_ENCRYPTION_PREVIOUS_KEYS) or has been modified',
  );
}

/**
 * A value a previous key of the ring sealed, sealed anew under the current key; null when the current key sealed it
 * (after SECRETS_ENCRYPTION_KEY was rotated, so the previous key can be retired).
 * @throws SecretSealingError as {@link openSecret} does.
 */
export function resealSecret(sealed: string, keys: SealingKeys): string | null {
  const { plaintext, byCurrent } = openWithKeys(sealed, keys);
  return byCurrent ? null : sealSecret(plaintext, keys);
}

/** The plaintext, or undefined when the tag does not match under this key. */
function decrypt(key: SealingKey, iv: Buffer, ciphertext: Buffer, tag: Buffer): string | undefined {
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(ADDITIONAL_DATA);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** True when `value` looks like the output of {@link sealSecret} (for telling sealed from legacy plaintext values). */
export function isSealedSecret(value: string): boolean {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}
