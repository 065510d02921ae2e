import { ApprovedEventTypesV1, ConfigEvent, EndpointId, EndpointSettingsV1, EventOf, HooklineEvent, TenantId, envelope } from '@hookline/contracts';
import { EndpointChange, EndpointDirectory } from './endpoint-directory';

const tenant = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' as TenantId;
const a = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId;
const b = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ2' as EndpointId;

const config = (event: HooklineEvent): EventOf<ConfigEvent> =>
  envelope(event, { tenantId: tenant, source: 'command-service', correlationId: 'evt_1' }) as EventOf<ConfigEvent>;

const created = (endpoint_id: EndpointId, settings: Partial<EndpointSettingsV1> & ApprovedEventTypesV1 = {}) => config({
  type: 'endpoint.created.v1',
  data: {
    endpoint_id, status: 'enabled', secrets: [], url: 'https://example.com', description: '', event_types: null, channels: null,
    filter: null, headers: {}, rate_limit_per_second: null, max_in_flight: null, retry_schedule_seconds: null, fifo: false,
    metadata: {}, ...settings,
  },
});

function watched() {
  const directory = new EndpointDirectory();
  const changes: EndpointChange[] = [];
  directory.onChange((change) => {
    // Listeners see the directory as it is after the change.
    expect(directory.get(change.endpointId)?.state).toEqual(change.after);
    changes.push(change);
  });
  return { directory, changes };
}

describe('endpoint directory', () => {
  it('tells listeners how a known endpoint changed, with its state before and after', () => {
    const { directory, changes } = watched();
    directory.apply(created(a, { url: 'https://one.example' }));
    expect(changes).toEqual([]);
    directory.apply(config({ type: 'endpoint.updated.v1', data: { endpoint_id: a, url: 'https://two.example' } }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ endpointId: a, tenantId: tenant });
    expect(changes[0].before.settings.url).toBe('https://one.example');
    expect(changes[0].after?.settings.url).toBe('https://two.example');
  });

  it('reports a deleted endpoint as gone (no state after) and forgets it', () => {
    const { directory, changes } = watched();
    directory.apply(created(a));
    directory.disableLocally(a);
    directory.apply(config({ type: 'endpoint.deleted.v1', data: { endpoint_id: a } }));
    expect(changes).toEqual([expect.objectContaining({ endpointId: a, after: undefined })]);
    expect(directory.get(a)).toBeUndefined();
    expect(directory.size).toBe(0);
    // Events for an endpoint no longer known change nothing and tell no one.
    directory.apply(config({ type: 'endpoint.enabled.v1', data: { endpoint_id: a } }));
    expect(changes).toHaveLength(1);
  });

  it('reports every endpoint of a deleted tenant as gone', () => {
    const { directory, changes } = watched();
    directory.apply(created(a));
    directory.apply(created(b));
    directory.apply(config({ type: 'tenant.deleted.v1', data: { tenant_id: tenant } }));
    expect(changes.map((c) => [c.endpointId, c.after])).toEqual([[a, undefined], [b, undefined]]);
    expect([...directory.ofTenant(tenant)]).toEqual([]);
  });

  it('folds a decline of types awaiting approval: the endpoint stays, and its state records them', () => {
    const { directory, changes } = watched();
    directory.apply(created(a, { approved_event_types: [] }));
    directory.apply(config({ type: 'endpoint.event_types_declined.v1', data: { endpoint_id: a, event_types: ['payout.sent'], reason: 'no', declined_event_types: ['payout.sent'] } }));
    expect(changes).toHaveLength(1);
    expect(changes[0].after).toMatchObject({ deliveryStatus: 'enabled', approvedEventTypes: [], declinedEventTypes: ['payout.sent'], version: 2 });
    expect([...directory.ofTenant(tenant)]).toHaveLength(1);
    // A decline for an endpoint never seen created (a compacted topic) is ignored, as any other event of it.
    directory.apply(config({ type: 'endpoint.event_types_declined.v1', data: { endpoint_id: b, event_types: ['payout.sent'], reason: '', declined_event_types: ['payout.sent'] } }));
    expect(directory.get(b)).toBeUndefined();
  });

  it('knows which of a tenant\'s event types need approval, as they are created, changed and deleted', () => {
    const directory = new EndpointDirectory();
    const type = (event: HooklineEvent) => directory.apply(config(event));
    type({ type: 'event_type.created.v1', data: { name: 'payout.sent', description: '', schema: null, requires_approval: true } });
    type({ type: 'event_type.created.v1', data: { name: 'invoice.paid', description: '', schema: null, requires_approval: false } });
    expect([...directory.typesNeedingApproval(tenant)]).toEqual(['payout.sent']);
    type({ type: 'event_type.updated.v1', data: { name: 'invoice.paid', requires_approval: true } });
    type({ type: 'event_type.updated.v1', data: { name: 'payout.sent', description: 'a description only' } });
    expect([...directory.typesNeedingApproval(tenant)].sort()).toEqual(['invoice.paid', 'payout.sent']);
    type({ type: 'event_type.deleted.v1', data: { name: 'payout.sent' } });
    type({ type: 'event_type.updated.v1', data: { name: 'invoice.paid', requires_approval: false } });
    expect([...directory.typesNeedingApproval(tenant)]).toEqual([]);
    type({ type: 'event_type.created.v1', data: { name: 'kyc.passed', description: '', schema: null, requires_approval: true } });
    directory.apply(config({ type: 'tenant.deleted.v1', data: { tenant_id: tenant } } as HooklineEvent));
    expect(directory.typesNeedingApproval(tenant).size).toBe(0);
  });
});
