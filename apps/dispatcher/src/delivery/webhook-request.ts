import { EndpointSettingsV1, TenantId } from '@hookline/contracts';
import { SigningSecret, maskSecret, webhookHeaders } from '@hookline/signing';
import { DeliveryMessage } from '../domain/delivery-lifecycle';

/** Headers only Hookline sets: an endpoint's custom headers can never replace them (a receiver trusts these). */
const RESERVED = new Set([
  'webhook-id', 'webhook-timestamp', 'webhook-signature', 'webhook-attempt', 'content-type', 'content-length', 'user-agent',
  'host', 'connection', 'transfer-encoding', 'traceparent', 'tracestate', 'expect', 'upgrade', 'te', 'keep-alive',
]);
const SENSITIVE = /authorization|token|secret|password|api[-_]?key|cookie|signature/i;

export interface WebhookRequestInput {
  message: DeliveryMessage;
  tenantId: TenantId;
  settings: Pick<EndpointSettingsV1, 'url' | 'headers'>;
  secrets: SigningSecret[];
  attempt: number;
  now: Date;
  userAgent: string;
  traceHeaders: Record<string, string>;
  /** `Bearer …` of an endpoint with OAuth 2.0 auth: it replaces a custom `authorization` header. */
  authorization?: string;
  /** The body the endpoint's transformation made, sent (and signed) instead of the standard one. */
  body?: Buffer;
}

export interface BuiltWebhookRequest {
  url: string;
  /** UTF-8 JSON; the same buffer for every delivery of one message (see webhookBody). */
  body: Buffer;
  headers: Record<string, string>;
  /** The headers as the attempt log shows them: signatures and credential-like custom headers masked. */
  loggedHeaders: Record<string, string>;
}

/**
 * The request of one attempt. Body: the Standard Webhooks payload shape `{ type, timestamp, data }` (timestamp = when
 * the message was published, the same on every attempt), or what the endpoint's transformation made of it. `webhook-id` is the message id, so receivers can dedupe
 * retries and redeliveries; `webhook-timestamp` is the send time (verifiers reject stale timestamps).
 */
export function buildWebhookRequest(input: WebhookRequestInput): BuiltWebhookRequest {
  const { message } = input;
  const body = input.body ?? webhookBody(message);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.settings.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!RESERVED.has(lower) && !lower.startsWith('hookline-') && !lower.startsWith('webhook-')) headers[lower] = value;
  }
  // Assigned, not spread into a literal: see coreOf in delivery-lifecycle.ts.
  Object.assign(
    headers,
    {
      'content-type': 'application/json',
      'user-agent': input.userAgent,
      'webhook-attempt': String(input.attempt),
      'hookline-tenant-id': input.tenantId,
      'hookline-event-type': message.event_type,
    },
    pick(input.traceHeaders, ['traceparent', 'tracestate']),
    webhookHeaders({ msgId: message.message_id, timestamp: input.now, body, secrets: input.secrets }),
  );
  if (input.authorization) headers.authorization = input.authorization;
  return { url: input.settings.url, body, headers, loggedHeaders: maskHeaders(headers) };
}

// Keyed by the message object the fan-out hands to each of its deliveries (a retry from the store or a resend brings a
// new one, and simply serialises again). Weak, so a body is kept no longer than the message object that made it.
const bodies = new WeakMap<DeliveryMessage, Buffer>();

/**
 * The body depends on the message alone, so a message fanned out to n endpoints is serialised once, not n times. As
 * bytes: the HMAC of each signature and the socket write would otherwise each encode the string to UTF-8 again.
 */
function webhookBody(message: DeliveryMessage): Buffer {
  let body = bodies.get(message);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify({ type: message.event_type, timestamp: message.published_at, data: message.payload }), 'utf8');
    bodies.set(message, body);
  }
  return body;
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'webhook-signature') out[name] = value.split(' ').map((s) => `${s.slice(0, s.indexOf(',') + 1)}${maskSecret(s.slice(s.indexOf(',') + 1))}`).join(' ');
    else out[name] = SENSITIVE.test(name) ? maskSecret(value) : value;
  }
  return out;
}

function pick(source: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (source[n]) out[n] = source[n];
  return out;
}
