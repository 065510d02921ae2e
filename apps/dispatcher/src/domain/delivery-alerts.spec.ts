import { DeliveryId, EndpointId, MessageId, TenantId } from '@hookline/contracts';
import { alertAfterAttempt } from './delivery-alerts';
import { FinishedDelivery, finishAttempt, pendingDelivery, startAttempt } from './delivery-lifecycle';

const pending = (attempt: number) => pendingDelivery({
  deliveryId: 'dlv_1' as DeliveryId, tenantId: 'tnt_1' as TenantId, endpointId: 'ep_1' as EndpointId, attempt,
  message: { message_id: 'msg_1' as MessageId, event_type: 'invoice.paid', event_type_version: null, payload: {}, channels: [],
    published_at: '2026-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'evt_1', trace: {} },
});
const after = (attempt: number, kind: 'succeeded' | 'retry' | 'exhausted'): FinishedDelivery =>
  finishAttempt(startAttempt(pending(attempt), new Date()), kind === 'succeeded' ? { kind }
    : kind === 'retry' ? { kind, at: new Date(), reason: 'HTTP 503' } : { kind, reason: 'HTTP 503' });

describe('delivery alerts', () => {
  it('raises failing once, on the failed attempt number failingAfter that leaves the delivery to retry', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => alertAfterAttempt(n, after(n, 'retry'), 4)?.kind ?? null)).toEqual([null, null, null, 'failing', null, null]);
    expect(alertAfterAttempt(4, after(4, 'retry'), 4)?.delivery).toMatchObject({ stage: 'retry_scheduled', lastError: 'HTTP 503' });
  });

  it('raises recovered on a success after that attempt, and nothing on a success before it', () => {
    expect([1, 4, 5, 8].map((n) => alertAfterAttempt(n, after(n, 'succeeded'), 4)?.kind ?? null)).toEqual([null, null, 'recovered', 'recovered']);
  });

  it('leaves a delivery that runs out at or before that attempt to attempts_exhausted', () => {
    expect(alertAfterAttempt(4, after(4, 'exhausted'), 4)).toBeNull();
    expect(alertAfterAttempt(2, after(2, 'exhausted'), 4)).toBeNull();
  });

  it('raises nothing when turned off', () => {
    expect(alertAfterAttempt(4, after(4, 'retry'), 0)).toBeNull();
    expect(alertAfterAttempt(5, after(5, 'succeeded'), 0)).toBeNull();
  });
});
