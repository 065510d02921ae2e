import { KeyObject, createHmac, sign, verify } from 'node:crypto';

/** A webhook body exactly as it goes over the wire. */
export type WebhookBody = string | Buffer;

/** `${msgId}.${timestamp}.` — the part of the signed content that precedes the body. */
export function signedContentPrefix(msgId: string, unixSeconds: number): string {
  return `${msgId}.${unixSeconds}.`;
}

/**
 * `v1` signature value: base64 HMAC-SHA256 of `prefix + body`. The two parts are fed to the HMAC separately, so the
 * (possibly large) body is never concatenated into a new buffer; a string body is hashed as UTF-8.
 */
export function hmacSignature(key: KeyObject, prefix: string, body: WebhookBody): string {
  return createHmac('sha256', key).update(prefix).update(body).digest('base64');
}

/**
 * The signed content `id.timestamp.body` as one buffer. Ed25519 is one-shot (no streaming API), so this one copy is
 * unavoidable; callers build it once per message and reuse it for every ed25519 key.
 */
export function signedContent(prefix: string, body: WebhookBody): Buffer {
  if (typeof body === 'string') return Buffer.from(prefix + body, 'utf8');
  const prefixBytes = Buffer.byteLength(prefix, 'utf8');
  const content = Buffer.allocUnsafe(prefixBytes + body.length);
  content.write(prefix, 0, 'utf8');
  body.copy(content, prefixBytes);
  return content;
}

/** `v1a` signature value: the raw 64-byte ed25519 signature of the signed content, base64. */
export function ed25519Signature(privateKey: KeyObject, content: Buffer): string {
  return sign(null, content, privateKey).toString('base64');
}

/** True when `signature` is a valid ed25519 signature of `content` by `publicKey`. */
export function verifyEd25519Signature(publicKey: KeyObject, content: Buffer, signature: Buffer): boolean {
  return verify(null, content, publicKey, signature);
}
