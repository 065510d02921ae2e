import { MessageId, TenantId } from '@hookline/contracts';
import { generateHmacSecret } from '@hookline/signing';
import { Webhook } from 'standardwebhooks';
import { buildWebhookRequest } from './webhook-request';

const secret = generateHmacSecret();
const message = {
  message_id: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' as MessageId, event_type: 'invoice.paid', event_type_version: 1, payload: { amount: 5 },
  channels: [], published_at: '2025-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'c', trace: {},
};

function build(headers: Record<string, string> = {}, msg: typeof message = message, endpointSecret = secret, authorization?: string) {
  return buildWebhookRequest({
    message: msg, tenantId: 'tnt_1' as TenantId, settings: { url: 'https://example.com/hook', headers }, secrets: [{ kind: 'hmac', secret: endpointSecret }],
    attempt: 3, now: new Date(), userAgent: 'Hookline/0.1.0', traceHeaders: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    authorization,
  });
}

describe('webhook request', () => {
  it('sends the Standard Webhooks body and headers, verifiable with the reference library', () => {
    const req = build();
    expect(JSON.parse(req.body.toString())).toEqual({ type: 'invoice.paid', timestamp: '2025-01-01T00:00:00.000Z', data: { amount: 5 } });
    expect(req.headers).toMatchObject({
      'webhook-id': message.message_id, 'webhook-attempt': '3', 'hookline-tenant-id': 'tnt_1', 'hookline-event-type': 'invoice.paid',
      'content-type': 'application/json', 'user-agent': 'Hookline/0.1.0', traceparent: expect.stringMatching(/^00-/),
    });
    expect(new Webhook(secret).verify(req.body, req.headers)).toEqual(JSON.parse(req.body.toString()));
  });

  it("serialises a message once for all its deliveries, each signed over those bytes by its endpoint's own secret", () => {
    const other = generateHmacSecret();
    const first = build();
    const second = build({}, message, other);
    expect(second.body).toBe(first.body);
    expect(new Webhook(other).verify(second.body, second.headers)).toEqual(JSON.parse(first.body.toString()));
    expect(() => new Webhook(secret).verify(second.body, second.headers)).toThrow();
    // Another message (a retry from the store carries its own copy) gets its own body.
    const copy = build(undefined, { ...message, payload: { amount: 6 } });
    expect(copy.body).not.toBe(first.body);
    expect(JSON.parse(copy.body.toString()).data).toEqual({ amount: 6 });
  });

  it("sends and signs a transformation's body instead of the standard one, leaving the message's own body as it was", () => {
    const standard = build();
    const transformed = Buffer.from('{"text":"Invoice paid"}');
    const req = buildWebhookRequest({
      message, tenantId: 'tnt_1' as TenantId, settings: { url: 'https://example.com/hook', headers: {} }, secrets: [{ kind: 'hmac', secret }],
      attempt: 1, now: new Date(), userAgent: 'Hookline/0.1.0', traceHeaders: {}, body: transformed,
    });
    expect(req.body).toBe(transformed);
    expect(new Webhook(secret).verify(req.body, req.headers)).toEqual({ text: 'Invoice paid' });
    expect(build().body).toBe(standard.body);
  });

  it('custom headers can never replace signature, id, timestamp or Hookline headers', () => {
    const req = build({ 'Webhook-Signature': 'v1,forged', 'WEBHOOK-ID': 'x', 'webhook-timestamp': '1', 'Hookline-Tenant-Id': 'evil', 'X-Custom': 'yes' });
    expect(req.headers['webhook-id']).toBe(message.message_id);
    expect(req.headers['webhook-signature']).not.toContain('forged');
    expect(req.headers['hookline-tenant-id']).toBe('tnt_1');
    expect(req.headers['x-custom']).toBe('yes');
    expect(new Webhook(secret).verify(req.body, req.headers)).toBeTruthy();
  });

  it('masks signatures and credential-like custom headers in the logged copy', () => {
    const req = build({ Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' });
    expect(req.loggedHeaders['webhook-signature']).toMatch(/^v1,.{0,5}…$/);
    expect(req.loggedHeaders.authorization).not.toContain('qrstuvwxyz');
    expect(req.headers.authorization).toBe('Bearer abcdefghijklmnopqrstuvwxyz');
  });

  it("sends an OAuth 2.0 endpoint's token as Authorization, over any custom one, and masks it in the logged copy", () => {
    const req = build({ authorization: 'Basic old' }, message, secret, 'Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature');
    expect(req.headers.authorization).toBe('Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature');
    expect(req.loggedHeaders.authorization).not.toContain('payload.signature');
    expect(new Webhook(secret).verify(req.body, req.headers)).toEqual(JSON.parse(req.body.toString()));
  });
});
