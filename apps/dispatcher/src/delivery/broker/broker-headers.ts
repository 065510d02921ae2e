import { BuiltWebhookRequest } from '../webhook-request';

// About the HTTP connection, not the webhook: a broker message has no user agent (the client's own name says who sent it).
const HTTP_ONLY = new Set(['user-agent']);

/**
 * The headers a Kafka record or an AMQP message carries for one attempt: the webhook request's (webhook-id,
 * -timestamp, -signature, -attempt, content-type, hookline-*, trace context, custom headers, which the request never
 * lets override the platform's), less what belongs to HTTP alone, so a consumer verifies the signature with any
 * Standard Webhooks library exactly as an https receiver does.
 */
export function brokerHeadersOf(request: BuiltWebhookRequest): Record<string, string> {
  return withoutHttpOnly(request.headers);
}

/** The headers the attempt log shows for a broker message: the request's masked ones, less what a message does not carry. */
export function loggedBrokerHeaders(request: BuiltWebhookRequest): Record<string, string> {
  return withoutHttpOnly(request.loggedHeaders);
}

function withoutHttpOnly(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!HTTP_ONLY.has(name)) out[name] = value;
  return out;
}
