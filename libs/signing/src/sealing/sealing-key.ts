import { KeyObject, createSecretKey } from 'node:crypto';
import { decodeBase64Strict, decodeBase64UrlStrict } from '../encoding/strict-base64';
import { SecretSealingError } from './secret-sealing-error';

declare const sealingKeyBrand: unique symbol;

/** An AES-256 key for sealing secrets, obtained from {@link parseSealingKey}; not interchangeable with other keys. */
export type SealingKey = KeyObject & { readonly [sealingKeyBrand]: true };

const SEALING_KEY_BYTES = 32;
/**
 * Hex is tried first: an even-length all-hex string is hex. A 32-byte key in base64 is 43 or 44 characters (odd, or
 * ending in '='), so a well-formed key of either encoding is never ambiguous.
 */
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Parses the secrets-at-rest key (env `SECRETS_ENCRYPTION_KEY`): exactly 32 bytes, written as 64 hex characters or
 * as base64 / base64url (padding optional). Surrounding whitespace, e.g. a trailing newline from a secrets file, is
 * ignored. `name` only labels the error message.
 * @throws SecretSealingError saying what was wrong and how to generate a valid key; never echoes the value.
 */
export function parseSealingKey(text: string, name = 'SECRETS_ENCRYPTION_KEY'): SealingKey {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed.length === 0) {
    throw new SecretSealingError(`${name} is empty; ${howToGenerate()}`);
  }
  const bytes = HEX.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : (decodeBase64Strict(trimmed) ?? decodeBase64UrlStrict(trimmed));
  if (bytes === undefined) {
    throw new SecretSealingError(`${name} is neither hex nor base64 (${trimmed.length} characters); ${howToGenerate()}`);
  }
  if (bytes.length !== SEALING_KEY_BYTES) {
    throw new SecretSealingError(
      `${name} decodes to ${bytes.length} bytes; AES-256-GCM needs exactly ${SEALING_KEY_BYTES}; ${howToGenerate()}`,
    );
  }
  return createSecretKey(bytes) as SealingKey;
}

/**
 * The key that seals new values, and the keys it replaced, which still open what they sealed. A sealing key is
 * rotated by making the old key a previous one: the log keeps every value sealed under it (endpoint secrets in past
 * events), and a replay must still open those that are in use.
 */
export interface SealingKeys {
  readonly current: SealingKey;
  readonly previous: readonly SealingKey[];
}

/**
 * Parses `SECRETS_ENCRYPTION_KEY` and `SECRETS_ENCRYPTION_PREVIOUS_KEYS` (each as {@link parseSealingKey} does; a
 * faulty previous key is named by its position in the list).
 */
export function parseSealingKeys(current: string, previous: readonly string[] = []): SealingKeys {
  return {
    current: parseSealingKey(current),
    previous: previous.map((text, i) => parseSealingKey(text, `SECRETS_ENCRYPTION_PREVIOUS_KEYS[${i}]`)),
  };
}

function howToGenerate(): string {
  return `set it to ${SEALING_KEY_BYTES} random bytes as base64 or hex, e.g. the output of \`openssl rand -base64 ${SEALING_KEY_BYTES}\``;
}
