import { EndpointStatus } from '@hookline/contracts';
import { MessageForMatching, SubscriptionView, endpointWantsMessage } from './subscription';

const endpoint = (settings: Partial<SubscriptionView['settings']> = {}, deliveryStatus: EndpointStatus = 'enabled'): SubscriptionView => ({
  deliveryStatus,
  settings: { event_types: null, channels: null, filter: null, ...settings },
});
const message = (overrides: Partial<MessageForMatching> = {}): MessageForMatching => ({
  event_type: 'invoice.paid',
  channels: ['acct_1', 'eu'],
  payload: { data: { amount: 1500, currency: 'EUR' } },
  ...overrides,
});

describe('endpointWantsMessage', () => {
  it('an enabled endpoint with no subscription settings wants every message', () => {
    expect(endpointWantsMessage(endpoint(), message())).toBe(true);
    expect(endpointWantsMessage(endpoint(), message({ event_type: 'payout.sent', channels: [] }))).toBe(true);
  });

  describe('delivery status', () => {
    it.each<EndpointStatus>(['disabled', 'pending_approval'])('a %s endpoint wants nothing', (status) => {
      expect(endpointWantsMessage(endpoint({}, status), message())).toBe(false);
    });
  });

  describe('event-type filter', () => {
    it('wants the event types it lists', () => {
      expect(endpointWantsMessage(endpoint({ event_types: ['invoice.paid', 'invoice.void'] }), message())).toBe(true);
    });

    it('does not want other event types, not even by prefix', () => {
      expect(endpointWantsMessage(endpoint({ event_types: ['invoice.void'] }), message())).toBe(false);
      expect(endpointWantsMessage(endpoint({ event_types: ['invoice'] }), message())).toBe(false);
    });

    it('an empty list wants nothing, unlike null', () => {
      expect(endpointWantsMessage(endpoint({ event_types: [] }), message())).toBe(false);
    });
  });

  describe('types needing approval', () => {
    const payout = message({ event_type: 'payout.sent' });

    it('an endpoint of every type wants one only once approved for it', () => {
      expect(endpointWantsMessage({ ...endpoint(), approvedEventTypes: [] }, payout, true)).toBe(false);
      expect(endpointWantsMessage({ ...endpoint(), approvedEventTypes: ['payout.sent'] }, payout, true)).toBe(true);
      expect(endpointWantsMessage({ ...endpoint(), approvedEventTypes: [] }, payout, false)).toBe(true);
    });

    it('an endpoint that lists the type, or of every type from before approvals were kept per type, wants it', () => {
      expect(endpointWantsMessage({ ...endpoint({ event_types: ['payout.sent'] }), approvedEventTypes: [] }, payout, true)).toBe(true);
      expect(endpointWantsMessage(endpoint(), payout, true)).toBe(true);
    });
  });

  describe('channels', () => {
    it('wants a message that carries one of its channels', () => {
      expect(endpointWantsMessage(endpoint({ channels: ['us', 'eu'] }), message())).toBe(true);
    });

    it('does not want a message on other channels', () => {
      expect(endpointWantsMessage(endpoint({ channels: ['us'] }), message())).toBe(false);
    });

    it('does not want a message without channels when it names some', () => {
      expect(endpointWantsMessage(endpoint({ channels: ['eu'] }), message({ channels: [] }))).toBe(false);
    });
  });

  describe('payload filter', () => {
    it('wants a payload that passes it', () => {
      expect(endpointWantsMessage(endpoint({ filter: { 'data.amount': { $gte: 1000 } } }), message())).toBe(true);
    });

    it('does not want a payload that fails it', () => {
      expect(endpointWantsMessage(endpoint({ filter: { 'data.currency': 'USD' } }), message())).toBe(false);
    });
  });

  it('needs every criterion at once', () => {
    const strict = endpoint({ event_types: ['invoice.paid'], channels: ['eu'], filter: { 'data.amount': { $gt: 1000 } } });
    expect(endpointWantsMessage(strict, message())).toBe(true);
    expect(endpointWantsMessage(strict, message({ event_type: 'invoice.void' }))).toBe(false);
    expect(endpointWantsMessage(strict, message({ channels: ['us'] }))).toBe(false);
    expect(endpointWantsMessage(strict, message({ payload: { data: { amount: 10 } } }))).toBe(false);
    expect(endpointWantsMessage({ ...strict, deliveryStatus: 'disabled' }, message())).toBe(false);
  });
});
