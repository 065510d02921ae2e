import { MessageId, TenantId } from '@hookline/contracts';
import { AmqpDestination, parseAmqpUrl } from '@hookline/net-guard';
import { generateHmacSecret } from '@hookline/signing';
import { Webhook } from 'standardwebhooks';
import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { buildWebhookRequest } from '../webhook-request';
import { amqpMessageOf } from './amqp-message';

const secret = generateHmacSecret();
const message: DeliveryMessage = {
  message_id: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' as MessageId, event_type: 'invoice.paid', event_type_version: 1, payload: { amount: 5 },
  channels: [], published_at: '2025-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'c', trace: {}, ordering_key: 'customer-42',
};
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const destination = (url: string): AmqpDestination => {
  const parsed = parseAmqpUrl(url);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.destination;
};
// Whole seconds, as the signed timestamp has them; recent, or the reference verifier refuses it as stale.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

function request(options: { headers?: Record<string, string>; body?: Buffer } = {}) {
  return buildWebhookRequest({
    message, tenantId: 'tnt_1' as TenantId, settings: { url: 'amqps://rabbit.example.com?exchange=webhooks', headers: options.headers ?? {} },
    secrets: [{ kind: 'hmac', secret }], attempt: 2, now, userAgent: 'Hookline/0.1.0', traceHeaders: { traceparent, tracestate: 'vendor=1' }, body: options.body,
  });
}

describe('the message of an attempt at an AMQP destination', () => {
  it('carries the webhook body, the properties a consumer expects, and the signature headers, verifiable with the reference library', () => {
    const req = request({ headers: { 'X-Team': 'billing', 'Webhook-Id': 'forged', 'Content-Type': 'text/plain' } });
    const published = amqpMessageOf(req, message, destination('amqps://rabbit.example.com?exchange=webhooks'));
    expect(published.content).toBe(req.body);
    expect(published.properties).toEqual({
      contentType: 'application/json', messageId: message.message_id, timestamp: Math.floor(now.getTime() / 1000), type: 'invoice.paid',
      appId: 'hookline', persistent: true, mandatory: true,
      headers: {
        'webhook-id': message.message_id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': expect.stringMatching(/^v1,/),
        'webhook-attempt': '2', 'content-type': 'application/json', 'hookline-tenant-id': 'tnt_1', 'hookline-event-type': 'invoice.paid',
        traceparent, tracestate: 'vendor=1', 'x-team': 'billing',
      },
    });
    const headers = published.properties.headers as Record<string, string>;
    expect(new Webhook(secret).verify(published.content, headers)).toEqual({ type: 'invoice.paid', timestamp: '2025-01-01T00:00:00.000Z', data: { amount: 5 } });
  });

  it("is routed by the message's event type, unless the URL names a routing key", () => {
    expect(amqpMessageOf(request(), message, destination('amqps://h?exchange=x')).routingKey).toBe('invoice.paid');
    expect(amqpMessageOf(request(), message, destination('amqps://h?exchange=x&routing_key=all.webhooks')).routingKey).toBe('all.webhooks');
  });

  it("carries a transformation's body as it is, and the signature covers it", () => {
    const body = Buffer.from('{"text":"Invoice paid"}');
    const published = amqpMessageOf(request({ body }), message, destination('amqps://h?exchange=x'));
    expect(published.content).toBe(body);
    expect(new Webhook(secret).verify(published.content, published.properties.headers as Record<string, string>)).toEqual({ text: 'Invoice paid' });
  });
});
