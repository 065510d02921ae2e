import { DeliveryId, EndpointId, TenantId } from '@hookline/contracts';
import { DeliveryMessage, DeliveryOrigin, PendingDelivery, pendingDelivery } from '../domain/delivery-lifecycle';

/** Why a delivery went to the retry store instead of (or after) the fast path. */
export type ParkReason = 'retry' | 'rate_limited' | 'breaker_open' | 'in_flight_limit' | 'fifo_wait' | 'running_long' | 'endpoint_disabled';

/** One row of dispatcher.parked_deliveries. */
export interface ParkedRow {
  deliveryId: DeliveryId;
  tenantId: TenantId;
  endpointId: EndpointId;
  message: DeliveryMessage;
  origin: DeliveryOrigin;
  /** Number of the next attempt (1-based). */
  attempt: number;
  nextAttemptAt: Date;
  state: 'scheduled' | 'dead';
  parkReason: ParkReason | null;
  /** FIFO endpoints' rows get a sequence number at insert; only the lowest scheduled one of an endpoint is claimable. */
  fifo: boolean;
  lastError: string | null;
  /** Set when the row is written while this instance still runs the attempt, so no worker takes it meanwhile. */
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

/** A row as the retry worker claimed it. */
export interface ClaimedRow {
  delivery: PendingDelivery;
  fifo: boolean;
  /** The message's content was expunged: the row is dropped, never sent. */
  expunged: boolean;
}

export function rowOf(
  delivery: Pick<PendingDelivery, 'deliveryId' | 'tenantId' | 'endpointId' | 'message' | 'origin' | 'attempt'>,
  fields: Partial<ParkedRow> & Pick<ParkedRow, 'nextAttemptAt'>,
): ParkedRow {
  return {
    deliveryId: delivery.deliveryId,
    tenantId: delivery.tenantId,
    endpointId: delivery.endpointId,
    message: delivery.message,
    origin: delivery.origin,
    attempt: delivery.attempt,
    state: 'scheduled',
    parkReason: null,
    fifo: false,
    lastError: null,
    leaseOwner: null,
    leaseUntil: null,
    ...fields,
  };
}

/** Column values of a row, in the order of ROW_COLUMNS. */
export function rowValues(r: ParkedRow): unknown[] {
  return [
    r.deliveryId, r.tenantId, r.endpointId, r.message.message_id, JSON.stringify(r.message), r.message.published_at, r.origin,
    r.attempt, r.nextAttemptAt.toISOString(), r.state, r.parkReason, r.fifo, r.lastError, r.leaseOwner, r.leaseUntil?.toISOString() ?? null,
  ];
}

export const ROW_COLUMNS = [
  'delivery_id', 'tenant_id', 'endpoint_id', 'message_id', 'message', 'published_at', 'origin',
  'attempt', 'next_attempt_at', 'state', 'park_reason', 'fifo', 'last_error', 'lease_owner', 'lease_until',
] as const;
export const ROW_CASTS = ['text', 'text', 'text', 'text', 'jsonb', 'timestamptz', 'text', 'int', 'timestamptz', 'text', 'text', 'bool', 'text', 'text', 'timestamptz'];

interface DbRow {
  delivery_id: string;
  tenant_id: string;
  endpoint_id: string;
  message: DeliveryMessage;
  origin: DeliveryOrigin;
  attempt: number;
  fifo_seq: string | null;
  /** Only in a claim's answer: the message's content was expunged (the row must be dropped, not sent). */
  expunged?: boolean;
}

export function claimedOf(row: DbRow): ClaimedRow {
  return {
    delivery: pendingDelivery({
      deliveryId: row.delivery_id as DeliveryId,
      tenantId: row.tenant_id as TenantId,
      endpointId: row.endpoint_id as EndpointId,
      message: row.message,
      origin: row.origin,
      attempt: row.attempt,
    }),
    fifo: row.fifo_seq !== null,
    expunged: row.expunged === true,
  };
}
