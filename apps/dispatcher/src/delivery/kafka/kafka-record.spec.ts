import { MessageId, TenantId } from '@hookline/contracts';
import { generateHmacSecret } from '@hookline/signing';
import { Webhook } from 'standardwebhooks';
import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { buildWebhookRequest } from '../webhook-request';
import { kafkaRecordOf } from './kafka-record';

const secret = generateHmacSecret();
const message: DeliveryMessage = {
  message_id: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' as MessageId, event_type: 'invoice.paid', event_type_version: 1, payload: { amount: 5 },
  channels: [], published_at: '2025-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'c', trace: {}, ordering_key: null,
};
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function request(msg: DeliveryMessage = message, options: { headers?: Record<string, string>; body?: Buffer } = {}) {
  return buildWebhookRequest({
    message: msg, tenantId: 'tnt_1' as TenantId, settings: { url: 'kafka://127.0.0.1:9092/orders', headers: options.headers ?? {} },
    secrets: [{ kind: 'hmac', secret }], attempt: 2, now: new Date(), userAgent: 'Hookline/0.1.0', traceHeaders: { traceparent }, body: options.body,
  });
}

describe('the record of an attempt at a Kafka destination', () => {
  it("carries the webhook body as its value and the request's headers, verifiable with the reference library", () => {
    const req = request(message, { headers: { 'X-Team': 'billing', 'Webhook-Id': 'forged', 'Content-Type': 'text/plain' } });
    const record = kafkaRecordOf(req, message);
    expect(record.value).toBe(req.body);
    expect(JSON.parse(record.value.toString())).toEqual({ type: 'invoice.paid', timestamp: '2025-01-01T00:00:00.000Z', data: { amount: 5 } });
    expect(record.headers).toEqual({
      'webhook-id': message.message_id, 'webhook-timestamp': expect.stringMatching(/^\d+$/), 'webhook-signature': expect.stringMatching(/^v1,/),
      'webhook-attempt': '2', 'content-type': 'application/json', 'hookline-tenant-id': 'tnt_1', 'hookline-event-type': 'invoice.paid',
      traceparent, 'x-team': 'billing',
    });
    expect(new Webhook(secret).verify(record.value, record.headers)).toEqual({ type: 'invoice.paid', timestamp: '2025-01-01T00:00:00.000Z', data: { amount: 5 } });
  });

  it("is keyed by the message's ordering key, else by its id (records written before the key was kept included)", () => {
    expect(kafkaRecordOf(request(), message).key).toBe(message.message_id);
    const ordered = { ...message, ordering_key: 'customer-42' };
    expect(kafkaRecordOf(request(ordered), ordered).key).toBe('customer-42');
    const { ordering_key: _none, ...older } = message;
    expect(kafkaRecordOf(request(older), older).key).toBe(message.message_id);
  });

  it("carries a transformation's body as it is, and the signature covers it", () => {
    const body = Buffer.from('{"text":"Invoice paid"}');
    const record = kafkaRecordOf(request(message, { body }), message);
    expect(record.value).toBe(body);
    expect(new Webhook(secret).verify(record.value, record.headers)).toEqual({ text: 'Invoice paid' });
  });
});
