/**
 * The integrity gate: every run must account for every delivery it asked for before it may report a speed.
 *
 *   expected deliveries = delivered + dead-lettered + in flight at cut-off          (nothing lost)
 *
 * A delivery is (endpoint, message). It is
 *   - delivered      when the receiver answered at least one request for it with 2xx (further 2xx are duplicates:
 *                    at-least-once delivery allows them, so they are counted, not failed);
 *   - dead-lettered  when the dispatcher gave up on it (dead-letter topic or a `dead` retry row);
 *   - in flight      when there is evidence the dispatcher still owns it: a scheduled row in its retry store, or a
 *                    message offset at or past the dispatcher group's committed offset (it will be consumed again);
 *   - lost           otherwise — the offset was committed, yet it was neither delivered, parked nor dead-lettered.
 * The evidence must be read in the order in-flight → dead letters → receiver: a delivery that moves on while the
 * snapshot is taken is then seen twice (harmless), never zero times.
 */

export interface PublishedMessage {
  messageId: string;
  /** The endpoints the message fans out to (the benchmark's subscriptions make this known in advance). */
  endpointIds: string[];
  /** Where the append landed on the messages topic. */
  partition: number;
  offset: bigint;
}

export interface ReceivedRequest {
  endpointId: string;
  webhookId: string;
  status: number;
}

export interface GateInput {
  /** Publishes the command service acknowledged (2xx). */
  published: PublishedMessage[];
  /** Publishes whose outcome the client never learnt (timeout, 5xx): their deliveries may appear and are tolerated. */
  unacknowledged: number;
  /** Every request the receiver got on Hookline's endpoints, any status. */
  requests: ReceivedRequest[];
  /** Delivery keys (see deliveryKey) the dispatcher dead-lettered. */
  deadLettered: Iterable<string>;
  /** Delivery keys with a scheduled (not dead) row in the dispatcher's retry store at cut-off. */
  parked: Iterable<string>;
  /** Dispatcher consumer group: partition → committed offset (the next record it would read). */
  committedOffsets: Map<number, bigint>;
}

export interface GateResult {
  passed: boolean;
  publishedMessages: number;
  expectedDeliveries: number;
  delivered: number;
  deadLettered: number;
  inFlight: number;
  inFlightParked: number;
  inFlightUncommitted: number;
  lost: number;
  /** Up to 10 lost delivery keys, to start the investigation from. */
  lostSample: string[];
  /** 2xx answers beyond the first for one delivery. */
  duplicates: number;
  /** 2xx deliveries of messages nobody published (or to endpoints not subscribed). */
  unexpected: number;
  /** Deliveries both answered 2xx and dead-lettered (a success the dispatcher did not see, e.g. a timeout). */
  deliveredAndDeadLettered: number;
  /** Why the gate failed, one line each; empty when it passed. */
  failures: string[];
}

/** The key of one delivery in the gate's bookkeeping. */
export function deliveryKey(endpointId: string, messageId: string): string {
  return `${endpointId}|${messageId}`;
}

/** Checks the accounting identity; pure (all evidence is passed in). */
export function checkIntegrity(input: GateInput): GateResult {
  const expected = new Map<string, PublishedMessage>();
  let maxFanout = 0;
  for (const m of input.published) {
    maxFanout = Math.max(maxFanout, m.endpointIds.length);
    for (const e of m.endpointIds) expected.set(deliveryKey(e, m.messageId), m);
  }

  const okCount = new Map<string, number>();
  for (const r of input.requests) {
    if (r.status < 200 || r.status > 299) continue;
    const k = deliveryKey(r.endpointId, r.webhookId);
    okCount.set(k, (okCount.get(k) ?? 0) + 1);
  }
  const dead = new Set(input.deadLettered);
  const parked = new Set(input.parked);

  let delivered = 0;
  let duplicates = 0;
  let unexpected = 0;
  for (const [k, n] of okCount) {
    duplicates += n - 1;
    if (expected.has(k)) delivered++;
    else unexpected++;
  }

  let deadLettered = 0;
  let deliveredAndDead = 0;
  let inFlightParked = 0;
  let inFlightUncommitted = 0;
  const lost: string[] = [];
  for (const [k, m] of expected) {
    const wasDelivered = okCount.has(k);
    if (dead.has(k)) {
      if (wasDelivered) deliveredAndDead++;
      else deadLettered++;
      continue;
    }
    if (wasDelivered) continue;
    if (parked.has(k)) {
      inFlightParked++;
      continue;
    }
    const committed = input.committedOffsets.get(m.partition);
    if (committed === undefined || m.offset >= committed) {
      inFlightUncommitted++;
      continue;
    }
    lost.push(k);
  }

  const inFlight = inFlightParked + inFlightUncommitted;
  const failures: string[] = [];
  if (lost.length) failures.push(`${lost.length} deliveries lost: offset committed, yet neither delivered, parked nor dead-lettered`);
  const tolerated = input.unacknowledged * Math.max(1, maxFanout);
  if (unexpected > tolerated) {
    failures.push(`${unexpected} deliveries of unknown messages or to unsubscribed endpoints (at most ${tolerated} explained by unacknowledged publishes)`);
  }
  const accounted = delivered + deadLettered + inFlight + lost.length;
  if (accounted !== expected.size) failures.push(`accounting mismatch: ${accounted} classified of ${expected.size} expected`);

  return {
    passed: failures.length === 0,
    publishedMessages: input.published.length,
    expectedDeliveries: expected.size,
    delivered,
    deadLettered,
    inFlight,
    inFlightParked,
    inFlightUncommitted,
    lost: lost.length,
    lostSample: lost.slice(0, 10),
    duplicates,
    unexpected,
    deliveredAndDeadLettered: deliveredAndDead,
    failures,
  };
}
