import { EndpointId, MessageId, TenantId, deliveryIdOf } from '@hookline/contracts';
import { EndpointState, evolveEndpoint, initialEndpointState } from '@hookline/domain';
import { fanOut } from './fan-out';

function endpoint(id: string, settings: Partial<EndpointState['settings']>, status: 'enabled' | 'disabled' = 'enabled'): EndpointState {
  return evolveEndpoint(initialEndpointState(), {
    type: 'endpoint.created.v1',
    data: {
      endpoint_id: id as EndpointId, status, secrets: [], url: 'https://example.com', description: '', event_types: null,
      channels: null, filter: null, headers: {}, rate_limit_per_second: null, max_in_flight: null, retry_schedule_seconds: null,
      fifo: false, metadata: {}, ...settings,
    },
  });
}

const NONE = new Set<string>();
const message = {
  message_id: 'msg_01JABCDEFGHJKMNPQRSTVWXYZ0' as MessageId, event_type: 'invoice.paid', event_type_version: 1,
  payload: { amount: 50 }, channels: ['eu'], published_at: '2025-01-01T00:00:00.000Z', causation_id: 'evt_1', correlation_id: 'c', trace: {},
};

describe('fan-out', () => {
  it('makes one delivery per endpoint that wants the message, with deterministic ids', () => {
    const all = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ1', {});
    const typed = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ2', { event_types: ['invoice.paid'], channels: ['eu'] });
    const filtered = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ3', { filter: { amount: { $gt: 100 } } });
    const otherType = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ4', { event_types: ['invoice.created'] });
    const disabled = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ5', {}, 'disabled');
    const out = fanOut('tnt_1' as TenantId, message, [all, typed, filtered, otherType, disabled], NONE);
    expect(out.map((d) => d.endpointId)).toEqual([all.endpointId, typed.endpointId]);
    expect(out[0].deliveryId).toBe(deliveryIdOf(message.message_id, all.endpointId!));
    expect(out[0]).toMatchObject({ stage: 'pending', attempt: 1, origin: 'initial', tenantId: 'tnt_1' });
  });

  it('given endpoints named by the message, delivers only to those of them that want it', () => {
    const a = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ1', {});
    const b = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ2', {});
    const unsubscribed = endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ3', { event_types: ['invoice.created'] });
    const out = fanOut('tnt_1' as TenantId, message, [a, b, unsubscribed], NONE, [b.endpointId!, unsubscribed.endpointId!, 'ep_01JABCDEFGHJKMNPQRSTVWXYZ9']);
    expect(out.map((d) => d.endpointId)).toEqual([b.endpointId]);
    expect(fanOut('tnt_1' as TenantId, message, [a, b], NONE, [])).toEqual([]);
  });

  it('skips deleted endpoints', () => {
    const gone = evolveEndpoint(endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ1', {}), { type: 'endpoint.deleted.v1', data: { endpoint_id: 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId } });
    expect(fanOut('tnt_1' as TenantId, message, [gone], NONE)).toEqual([]);
  });

  it('sends a type needing approval to an endpoint of every type only once it was approved for it', () => {
    const approvedFor = (types: string[] | undefined) => ({ ...endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ1', {}), ...(types ? { approvedEventTypes: types } : {}) });
    const gated = new Set(['invoice.paid']);
    expect(fanOut('tnt_1' as TenantId, message, [approvedFor([])], gated)).toEqual([]);
    expect(fanOut('tnt_1' as TenantId, message, [approvedFor(['invoice.paid'])], gated)).toHaveLength(1);
    expect(fanOut('tnt_1' as TenantId, message, [approvedFor([])], new Set(['payout.sent']))).toHaveLength(1);
    // One that lists the type asked for it by name (and was approved for it if it needed approval then).
    expect(fanOut('tnt_1' as TenantId, message, [endpoint('ep_01JABCDEFGHJKMNPQRSTVWXYZ2', { event_types: ['invoice.paid'] })], gated)).toHaveLength(1);
  });

  it('never sends a declined type, which is no longer awaited either, until an approval names it', () => {
    const id = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId;
    const gated = new Set(['invoice.paid']);
    const declined = evolveEndpoint({ ...endpoint(id, {}), approvedEventTypes: [] }, {
      type: 'endpoint.event_types_declined.v1', data: { endpoint_id: id, event_types: ['invoice.paid'], reason: '', declined_event_types: ['invoice.paid'] },
    });
    expect(declined.declinedEventTypes).toEqual(['invoice.paid']);
    expect(fanOut('tnt_1' as TenantId, message, [declined], gated)).toEqual([]);
    expect(fanOut('tnt_1' as TenantId, { ...message, event_type: 'invoice.created' }, [declined], gated)).toHaveLength(1);
    const approved = evolveEndpoint(declined, { type: 'endpoint.approved.v1', data: { endpoint_id: id, approved_event_types: ['invoice.paid'], declined_event_types: [] } });
    expect(fanOut('tnt_1' as TenantId, message, [approved], gated)).toHaveLength(1);
  });
});
