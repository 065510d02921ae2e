import { EndpointId, MessageId, TenantId } from '@hookline/contracts';
import { finishAttempt, pendingDelivery, startAttempt, statusOf } from './delivery-lifecycle';

const message = {
  message_id: 'msg_01' as MessageId,
  event_type: 'a.b',
  event_type_version: null,
  payload: {},
  channels: [],
  published_at: '2025-01-01T00:00:00.000Z',
  causation_id: 'evt_1',
  correlation_id: 'c',
  trace: {},
};
const pending = pendingDelivery({ deliveryId: 'dlv_x' as never, tenantId: 'tnt_1' as TenantId, endpointId: 'ep_1' as EndpointId, message });

describe('delivery lifecycle', () => {
  it('the first attempt is triggered by the origin, later ones are retries', () => {
    expect(startAttempt(pending, new Date()).trigger).toBe('initial');
    expect(startAttempt({ ...pending, attempt: 2 }, new Date()).trigger).toBe('retry');
    expect(startAttempt({ ...pending, origin: 'resend' }, new Date()).trigger).toBe('resend');
  });

  it('a retry decision schedules the next attempt number', () => {
    const at = new Date('2025-01-01T00:00:05Z');
    const finished = finishAttempt(startAttempt(pending, new Date()), { kind: 'retry', at, reason: 'HTTP 500' });
    expect(finished).toMatchObject({ stage: 'retry_scheduled', attempt: 2, nextAttemptAt: at });
    expect(statusOf(finished)).toBe('retrying');
  });

  it('gone and exhausted both dead-letter, with their cause', () => {
    const inFlight = startAttempt(pending, new Date());
    expect(finishAttempt(inFlight, { kind: 'gone', reason: 'HTTP 410' })).toMatchObject({ stage: 'dead_lettered', cause: 'gone' });
    const exhausted = finishAttempt(inFlight, { kind: 'exhausted', reason: 'HTTP 500' });
    expect(exhausted).toMatchObject({ stage: 'dead_lettered', cause: 'exhausted' });
    expect(statusOf(exhausted)).toBe('dead_lettered');
    expect(statusOf(finishAttempt(inFlight, { kind: 'succeeded' }))).toBe('succeeded');
  });
});
