import { createHash } from 'node:crypto';

// An idempotency key is printable ASCII of at most 255 characters; a value that is not is keyed by its digest.
const KEY_VALUE = /^[\x21-\x7e]{1,200}$/;

/**
 * The idempotency key of a source's message from the id its producer gave it (a provider's delivery id, an AMQP
 * `message_id`): under the source's scope, so two sources' ids never meet; its SHA-256 when the id cannot be a key.
 */
export function sourceIdempotencyKey(scope: string, value: string): string {
  return KEY_VALUE.test(value) ? `${scope}:${value}` : `${scope}:sha256:${createHash('sha256').update(value).digest('base64url')}`;
}
