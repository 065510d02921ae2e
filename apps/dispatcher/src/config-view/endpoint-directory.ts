import { ConfigEvent, ENDPOINT_EVENT_TYPES, EndpointEvent, EndpointId, EventOf, TenantId } from '@hookline/contracts';
import { EndpointState, evolveEndpoint, initialEndpointState } from '@hookline/domain';
import { CertifiedEndpoint } from '../domain/certificate-expiry';

const NONE: ReadonlySet<string> = new Set();

/** An endpoint as the dispatcher sees it: its folded state and its tenant. */
export interface KnownEndpoint {
  tenantId: TenantId;
  state: EndpointState;
}

/** One endpoint's state before and after a config event; `after` is undefined when the endpoint is gone for good. */
export interface EndpointChange {
  endpointId: EndpointId;
  tenantId: TenantId;
  before: EndpointState;
  after: EndpointState | undefined;
}

/**
 * The endpoints of every tenant, folded from config events with the same `evolveEndpoint` the command side uses, and
 * which of each tenant's event types need approval.
 * An endpoint disabled here (410 Gone) stays disabled until its next config event: the command-service answers our
 * endpoint.auto_disabled.v1 with endpoint.disabled.v1, and a later enable must win.
 */
export class EndpointDirectory {
  private readonly endpoints = new Map<EndpointId, KnownEndpoint>();
  private readonly byTenant = new Map<TenantId, Set<EndpointId>>();
  private readonly disabledLocally = new Map<EndpointId, number>();
  private readonly changeListeners: Array<(change: EndpointChange) => void> = [];
  /** Per tenant, its event types that need approval: an endpoint of every type gets them only once approved for them. */
  private readonly gatedTypes = new Map<TenantId, Set<string>>();

  apply(event: EventOf<ConfigEvent>): void {
    if (event.type.startsWith('event_type.')) {
      this.applyEventType(event);
      return;
    }
    if (event.type === 'tenant.deleted.v1') {
      this.gatedTypes.delete(event.tenant_id);
      for (const id of this.byTenant.get(event.tenant_id) ?? []) {
        const known = this.endpoints.get(id);
        this.remove(id);
        if (known) this.changed({ endpointId: id, tenantId: event.tenant_id, before: known.state, after: undefined });
      }
      this.byTenant.delete(event.tenant_id);
      return;
    }
    if (!ENDPOINT_EVENT_TYPES.has(event.type)) return;
    const body = { type: event.type, data: event.data } as EndpointEvent;
    const id = body.data.endpoint_id;
    const known = this.endpoints.get(id);
    // An event for an endpoint we never saw created (e.g. the topic was compacted) cannot be folded meaningfully.
    if (!known && body.type !== 'endpoint.created.v1') return;
    const state = evolveEndpoint(known?.state ?? initialEndpointState(), body);
    if (state.status === 'deleted') {
      this.remove(id);
      this.byTenant.get(event.tenant_id)?.delete(id);
    } else {
      this.endpoints.set(id, { tenantId: event.tenant_id, state });
      let ids = this.byTenant.get(event.tenant_id);
      if (!ids) this.byTenant.set(event.tenant_id, (ids = new Set()));
      ids.add(id);
    }
    if (known) this.changed({ endpointId: id, tenantId: event.tenant_id, before: known.state, after: state.status === 'deleted' ? undefined : state });
  }

  /**
   * Called after every config event that changed a known endpoint, once the directory shows the change: what the
   * dispatcher keeps per endpoint (breaker, connection pool, token, opened secrets) is let go when it is gone or replaced.
   * Listeners run inside the config consumer, so they must not block.
   */
  onChange(listener: (change: EndpointChange) => void): void {
    this.changeListeners.push(listener);
  }

  /** The tenant's event types that need approval. */
  typesNeedingApproval(tenantId: TenantId): ReadonlySet<string> {
    return this.gatedTypes.get(tenantId) ?? NONE;
  }

  /** The endpoint, with a local disable applied. */
  get(id: EndpointId): KnownEndpoint | undefined {
    const known = this.endpoints.get(id);
    if (!known) return undefined;
    return this.isDisabledLocally(id, known) ? { ...known, state: { ...known.state, deliveryStatus: 'disabled' } } : known;
  }

  /** Every live endpoint of a tenant (with local disables applied). */
  *ofTenant(tenantId: TenantId): Iterable<EndpointState> {
    for (const id of this.byTenant.get(tenantId) ?? []) {
      const known = this.get(id);
      if (known) yield known.state;
    }
  }

  /** Every live endpoint that presents a client certificate. */
  *withClientCertificates(): Iterable<CertifiedEndpoint> {
    for (const [endpointId, { tenantId, state }] of this.endpoints) {
      const certificate = state.settings.client_certificate;
      if (certificate) yield { tenantId, endpointId, certificate };
    }
  }

  /** Stops deliveries to an endpoint now, ahead of the endpoint.disabled.v1 the command-service will append. */
  disableLocally(id: EndpointId): void {
    const known = this.endpoints.get(id);
    if (known) this.disabledLocally.set(id, known.state.version);
  }

  get size(): number {
    return this.endpoints.size;
  }

  private applyEventType(event: EventOf<ConfigEvent>): void {
    let gated: boolean | undefined;
    if (event.type === 'event_type.created.v1') gated = event.data.requires_approval;
    else if (event.type === 'event_type.updated.v1') gated = event.data.requires_approval;
    else if (event.type === 'event_type.deleted.v1') gated = false;
    if (gated === undefined) return;
    const name = (event.data as { name: string }).name;
    let names = this.gatedTypes.get(event.tenant_id);
    if (gated) {
      if (!names) this.gatedTypes.set(event.tenant_id, (names = new Set()));
      names.add(name);
    } else {
      names?.delete(name);
    }
  }

  private remove(id: EndpointId): void {
    this.endpoints.delete(id);
    this.disabledLocally.delete(id);
  }

  private changed(change: EndpointChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  private isDisabledLocally(id: EndpointId, known: KnownEndpoint): boolean {
    const version = this.disabledLocally.get(id);
    if (version === undefined) return false;
    if (version === known.state.version) return true;
    this.disabledLocally.delete(id);
    return false;
  }
}
