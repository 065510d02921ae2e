import { EndpointId, MessageId, TenantId, newId } from '@hookline/contracts';
import { fixtures } from '../../testing/event-fixtures';
import { decodeRecord } from '../projected-record';
import { DeliveryRecord, foldDeliveries } from './deliveries.writer';
import { asRecord } from '../../testing/event-fixtures';

const tenant = newId('tenant') as TenantId;
const endpoint = newId('endpoint') as EndpointId;
const message = newId('message') as MessageId;
const t = Date.parse('2026-01-01T00:00:00.000Z');

function records(...events: ReturnType<typeof fixtures.parked>[]): DeliveryRecord[] {
  return events.map((e, i) => {
    const r = decodeRecord('deliveries', 0, asRecord(e, i));
    if (!r.ok) throw new Error(r.reason);
    return r.record as DeliveryRecord;
  });
}

describe('foldDeliveries', () => {
  it('given parked, two attempts and a dead letter in one batch, then one row with the last step and the counts', () => {
    const [row] = foldDeliveries(records(
      fixtures.parked(tenant, message, endpoint, new Date(t)),
      fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t + 1) }),
      fixtures.attempted(tenant, message, endpoint, 2, 'retrying', { at: new Date(t + 2) }),
      fixtures.deadLettered(tenant, message, endpoint, 2, new Date(t + 2)),
    ));
    expect(row).toMatchObject({ attemptCount: 2, lastAttemptNo: 2, lastStatusCode: 503, createdAt: new Date(t).toISOString(),
      step: { status: 'dead_lettered', rank: 2, attempt: 2 } });
  });

  it('given events out of order, then the order of the delivery life decides, not the order of arrival', () => {
    const [row] = foldDeliveries(records(
      fixtures.attempted(tenant, message, endpoint, 2, 'succeeded', { at: new Date(t + 2) }),
      fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t + 1) }),
      fixtures.parked(tenant, message, endpoint, new Date(t)),
    ));
    expect(row).toMatchObject({ attemptCount: 2, lastAttemptNo: 2, lastStatusCode: 200, lastError: null, step: { status: 'succeeded' } });
  });

  it('given a delivery dropped with its endpoint, then it is dropped, whatever order its earlier attempt comes in', () => {
    const [row] = foldDeliveries(records(
      fixtures.dropped(tenant, message, endpoint, 1, new Date(t + 5)),
      fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t + 1) }),
    ));
    expect(row).toMatchObject({ attemptCount: 1, lastAttemptNo: 1, lastStatusCode: 503, step: { status: 'dropped', rank: 3, nextAttemptAt: null } });
  });
});
