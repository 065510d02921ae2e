import { ProblemError } from '@hookline/service-kit';

/** What an Idempotency-Key may be, as the OpenAPI document states it too: 1-255 printable ASCII characters. */
export const IDEMPOTENCY_KEY_SCHEMA = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' } as const;
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_SCHEMA.pattern);

/**
 * A client's Idempotency-Key, checked once for every command and both transports, so a key can't be 1 MB of text in
 * a primary key.
 */
export function checkIdempotencyKey(key: string): string {
  if (key.length > IDEMPOTENCY_KEY_SCHEMA.maxLength || !IDEMPOTENCY_KEY.test(key)) {
    throw new ProblemError('validation', 'Idempotency-Key must be 1-255 printable ASCII characters', [{ pointer: 'Idempotency-Key', detail: 'malformed' }]);
  }
  return key;
}

/** The same key for another request: a key names one request, whatever it was. */
export function keyReusedProblem(): ProblemError {
  return new ProblemError('idempotency_conflict', 'this Idempotency-Key was already used for a different request; use a new key for a new request', [
    { pointer: 'Idempotency-Key', detail: 'reused for another request' },
  ]);
}

/** A command sent with an Idempotency-Key. */
export interface IdempotentRequest {
  /** Whose keys this one is among: the caller's tenant, or '' for an admin key's own commands. */
  scope: string;
  key: string;
  /**
   * What was asked (operation, path parameters, body), hashed only when a command is carried out. A retry must ask
   * the same; the generated ids and secrets of the command itself differ on every attempt, so they can't be used.
   */
  asked: unknown;
  /** Called when the answer is the earlier request's (REST marks it with `Idempotent-Replayed: true`). */
  onReplay?: () => void;
}
