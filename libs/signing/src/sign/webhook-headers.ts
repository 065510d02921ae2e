import { SignPayloadInput, signPayload } from './sign-payload';
import { toUnixSeconds } from './unix-timestamp';

/**
 * The three Standard Webhooks request headers, lower-case as HTTP/2 requires. A type literal rather than an interface
 * so it can be passed wherever a `Record<string, string>` of headers is expected.
 */
export type WebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/**
 * The Standard Webhooks headers for one delivery attempt: `webhook-id` (the message id), `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` (see {@link signPayload}).
 * @throws SecretFormatError / RangeError as {@link signPayload} does.
 */
export function webhookHeaders(input: SignPayloadInput): WebhookHeaders {
  return {
    'webhook-id': input.msgId,
    'webhook-timestamp': String(toUnixSeconds(input.timestamp)),
    'webhook-signature': signPayload(input),
  };
}
