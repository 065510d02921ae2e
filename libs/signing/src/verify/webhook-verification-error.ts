/**
 * Why a webhook was rejected:
 * - `missing-header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` (or its `svix-*` alias) is absent;
 * - `invalid-header`: a header is present but malformed (non-numeric timestamp, repeated id…);
 * - `timestamp-too-old` / `timestamp-too-new`: outside the tolerance (a replay, or a clock that is off);
 * - `no-matching-signature`: no signature in the header matches any of the given secrets;
 * - `invalid-payload`: the signature is valid but the body is not JSON.
 */
export type WebhookVerificationFailure =
  | 'missing-header'
  | 'invalid-header'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'no-matching-signature'
  | 'invalid-payload';

/** Thrown by `verifyWebhook` when a request must not be trusted; `reason` says why, `message` explains it. */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationFailure;

  constructor(reason: WebhookVerificationFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}
