import { ED25519_SIGNATURE_VERSION, HMAC_SIGNATURE_VERSION } from '../signing-constants';
import { parseSecretCached } from '../secrets/key-cache';
import { ParsedSecret } from '../secrets/parse-secret';
import { SecretFormatError } from '../secrets/secret-format-error';
import { maskSecret } from '../secrets/mask-secret';
import { WebhookBody, ed25519Signature, hmacSignature, signedContent, signedContentPrefix } from './signature-schemes';
import { WebhookTimestamp, toUnixSeconds } from './unix-timestamp';

/** One active signing secret of an endpoint: a `whsec_` HMAC secret or a `whsk_` ed25519 secret key. */
export interface SigningSecret {
  readonly kind: 'hmac' | 'ed25519';
  readonly secret: string;
}

/** What is signed: the message id, the send time, the exact body bytes, and every currently active secret. */
export interface SignPayloadInput {
  /** The `webhook-id`, stable across attempts. */
  readonly msgId: string;
  /** The `webhook-timestamp` of this attempt. */
  readonly timestamp: WebhookTimestamp;
  /** The body exactly as it will be sent (a string is sent as UTF-8). */
  readonly body: WebhookBody;
  /** All active secrets; during rotation the old and the new one. At least one. */
  readonly secrets: readonly SigningSecret[];
}

/**
 * The `webhook-signature` header value for a message: one signature per secret, space-separated, in the order given:
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for `whsec_` secrets, `v1a,<base64 ed25519 signature>` for
 * `whsk_` keys. Decoded keys are cached per process, so repeated calls with the same secrets only hash.
 * @throws SecretFormatError when there is no secret, a secret is malformed, or its prefix contradicts its kind.
 * @throws RangeError when `msgId` is empty or `timestamp` is not valid.
 */
export function signPayload(input: SignPayloadInput): string {
  const { msgId, body, secrets } = input;
  if (typeof msgId !== 'string' || msgId.length === 0) throw new RangeError('msgId must be a non-empty string');
  if (secrets.length === 0) {
    throw new SecretFormatError('signPayload needs at least one active secret; a webhook is never sent unsigned');
  }
  const prefix = signedContentPrefix(msgId, toUnixSeconds(input.timestamp));
  let content: Buffer | undefined;
  const signatures = new Array<string>(secrets.length);
  for (let i = 0; i < secrets.length; i++) {
    const key = signingKeyOf(secrets[i]);
    if (key.kind === 'hmac') {
      signatures[i] = `${HMAC_SIGNATURE_VERSION},${hmacSignature(key.key, prefix, body)}`;
    } else {
      content ??= signedContent(prefix, body);
      signatures[i] = `${ED25519_SIGNATURE_VERSION},${ed25519Signature(key.privateKey, content)}`;
    }
  }
  return signatures.join(' ');
}

type SigningKey = Extract<ParsedSecret, { kind: 'hmac' } | { kind: 'ed25519-secret' }>;

function signingKeyOf({ kind, secret }: SigningSecret): SigningKey {
  const parsed = parseSecretCached(secret);
  switch (kind) {
    case 'hmac':
      if (parsed.kind === 'hmac') return parsed;
      break;
    case 'ed25519':
      if (parsed.kind === 'ed25519-secret') return parsed;
      break;
    default: {
      const unknownKind: never = kind;
      throw new SecretFormatError(`unknown signing secret kind '${String(unknownKind)}'; expected 'hmac' or 'ed25519'`);
    }
  }
  const expected = kind === 'hmac' ? 'a whsec_ secret' : 'a whsk_ secret key';
  throw new SecretFormatError(
    `signing secret ${maskSecret(secret)} is declared as kind '${kind}' but is not ${expected}` +
      (parsed.kind === 'ed25519-public' ? ' (a whpk_ public key can only verify, not sign)' : ''),
  );
}
