import { EndpointRecoveryRequestedV1, EventOf } from '@hookline/contracts';
import { RetryStore } from '../../retry-store/retry-store';

/**
 * endpoint.recovery_requested.v1: every dead-lettered or still-retrying delivery of the endpoint whose message was
 * published in [since, until) starts a new series now (trigger "recover"). Scoped by the event's tenant.
 */
export async function recoverEndpoint(event: EventOf<EndpointRecoveryRequestedV1>, deps: { store: RetryStore }): Promise<number> {
  const since = new Date(event.data.since);
  const until = new Date(event.data.until);
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || since >= until) return 0;
  return deps.store.requeueForRecovery(event.tenant_id, event.data.endpoint_id, since, until);
}
