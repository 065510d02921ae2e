import { MessageId, TenantId } from '@hookline/contracts';
import { generateHmacSecret } from '@hookline/signing';
import { DeliveryMessage } from '../../domain/delivery-lifecycle';
import { buildWebhookRequest } from '../webhook-request';
import { brokerHeadersOf, loggedBrokerHeaders } from './broker-headers';

const message: DeliveryMessage = {
  message_id: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' as MessageId, event_type: 'invoice.paid', event_type_version: 1, payload: { amount: 5 },
  channels: [], published_at: '2025-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'c', trace: {}, ordering_key: null,
};
const request = (headers: Record<string, string>) => buildWebhookRequest({
  message, tenantId: 'tnt_1' as TenantId, settings: { url: 'amqps://rabbit.example.com?exchange=x', headers },
  secrets: [{ kind: 'hmac', secret: generateHmacSecret() }], attempt: 1, now: new Date(), userAgent: 'Hookline/0.1.0', traceHeaders: {},
});

describe('the headers of a broker message (Kafka record, AMQP message)', () => {
  it("are the request's, without the HTTP-only user agent, and custom headers never replace the signature's", () => {
    const req = request({ 'X-Team': 'billing', 'Webhook-Signature': 'forged' });
    const headers = brokerHeadersOf(req);
    expect(headers['user-agent']).toBeUndefined();
    expect(headers['x-team']).toBe('billing');
    expect(headers['webhook-signature']).toBe(req.headers['webhook-signature']);
    expect(headers['webhook-signature']).not.toBe('forged');
  });

  it('are logged with the signature masked and without the HTTP-only user agent', () => {
    const req = request({ 'X-Api-Key': 'secret-value-123' });
    const logged = loggedBrokerHeaders(req);
    expect(logged['user-agent']).toBeUndefined();
    expect(logged['webhook-signature']).not.toBe(req.headers['webhook-signature']);
    expect(logged['webhook-signature']).toMatch(/^v1,/);
    expect(logged['x-api-key']).not.toBe('secret-value-123');
  });
});
