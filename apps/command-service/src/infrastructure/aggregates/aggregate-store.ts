import { Actor, Envelope, TenantId, encodeEvent, encodePosition, envelope, topicNames, HEADER } from '@hookline/contracts';
import { checkExpectedVersion, fold } from '@hookline/domain';
import { problemFromDomain } from '@hookline/service-kit';
import { DataSource, EntityManager } from 'typeorm';
import { CommandIdempotency } from '../idempotency/command-idempotency';
import { IdempotentRequest } from '../idempotency/idempotency-key';
import { OutboxRelay, SentPosition } from '../outbox/outbox-relay';
import { AggregateKind } from './aggregate-kinds';

export interface AggregateRef {
  tenantId: string;
  aggregateId: string;
}

export interface CommandMeta {
  actor: Actor;
  correlationId: string;
  /** The event that caused this command (e.g. the dispatcher's endpoint.auto_disabled.v1), for the audit trail. */
  causationId?: string;
  expectedVersion?: number;
  traceHeaders?: Record<string, string>;
  /** Set when the caller sent an Idempotency-Key. */
  idempotency?: IdempotentRequest;
}

/** What a command's events made of the aggregate, before Kafka has them. */
export interface Decided<S> {
  state: S;
  version: number;
  events: Envelope[];
}

export interface Executed<S> extends Decided<S> {
  /** Where the last event landed in Kafka (null when the command was a no-op). */
  position: SentPosition | null;
}

/** What every config command answers besides its own fields: the aggregate's new version (the next If-Match) and a position token. */
export interface WriteResult {
  version: number;
  position: string | null;
}

interface Committed<S> extends Decided<S> {
  outboxSeqs: string[];
}

/**
 * Loads an aggregate, decides, and commits the new state with its events in the outbox in one transaction
 * (row lock = one writer per aggregate); then waits until Kafka acknowledged the events before answering.
 */
export class AggregateStore {
  private readonly configTopic: string;

  constructor(
    private readonly ds: DataSource,
    private readonly relay: OutboxRelay,
    private readonly idempotency: CommandIdempotency,
    topicPrefix: string,
    /** How long a command waits for Kafka's acknowledgement of its events before it answers 503 (APPEND_TIMEOUT_MS). */
    private readonly appendTimeoutMs: number,
  ) {
    this.configTopic = topicNames(topicPrefix).config;
  }

  /** Current state of an aggregate, or its initial state when it does not exist. */
  async load<S>(kind: AggregateKind<S, unknown, unknown>, ref: AggregateRef, manager: EntityManager = this.ds.manager): Promise<S> {
    const rows: Array<{ state: S }> = await manager.query(
      `SELECT state FROM aggregates WHERE kind = $1 AND tenant_id = $2 AND aggregate_id = $3`,
      [kind.kind, ref.tenantId, ref.aggregateId],
    );
    return rows.length ? rows[0].state : kind.initial();
  }

  /** Every aggregate of a kind of one tenant, in id order (the primary key's range). */
  async ofTenant<S>(kind: AggregateKind<S, unknown, unknown>, tenantId: string): Promise<S[]> {
    const rows: Array<{ state: S }> = await this.ds.query(
      `SELECT state FROM aggregates WHERE kind = $1 AND tenant_id = $2 ORDER BY aggregate_id`, [kind.kind, tenantId],
    );
    return rows.map((r) => r.state);
  }

  /** Finds an aggregate by id alone (admin code paths only: this reads across tenants). */
  async findByAggregateId<S>(kind: AggregateKind<S, unknown, unknown>, aggregateId: string): Promise<S | null> {
    const rows: Array<{ state: S }> = await this.ds.query(`SELECT state FROM aggregates WHERE kind = $1 AND aggregate_id = $2`, [kind.kind, aggregateId]);
    return rows.length ? rows[0].state : null;
  }

  /** Every aggregate of a kind across tenants, a page at a time (admin code paths only). */
  async *scan<S>(kind: AggregateKind<S, unknown, unknown>, pageSize = 500): AsyncGenerator<{ ref: AggregateRef; state: S }> {
    let after = '';
    for (;;) {
      const rows: Array<{ tenant_id: string; aggregate_id: string; state: S }> = await this.ds.query(
        `SELECT tenant_id, aggregate_id, state FROM aggregates WHERE kind = $1 AND aggregate_id > $2 ORDER BY aggregate_id LIMIT $3`,
        [kind.kind, after, pageSize],
      );
      for (const row of rows) yield { ref: { tenantId: row.tenant_id, aggregateId: row.aggregate_id }, state: row.state };
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].aggregate_id;
    }
  }

  /** Carries out a command for a caller inside the service (no answer to keep, no Idempotency-Key). */
  async execute<S extends { version: number }, C, E extends { type: string; data: unknown }>(
    kind: AggregateKind<S, C, E>,
    ref: AggregateRef,
    command: C,
    meta: CommandMeta,
  ): Promise<Executed<S>> {
    const { outboxSeqs, ...decided } = await this.ds.transaction((tx) => this.commit(tx, kind, ref, command, meta));
    const positions = outboxSeqs.length ? await this.relay.waitForSent(outboxSeqs, this.appendTimeoutMs) : [];
    return { ...decided, position: positions.length ? positions[positions.length - 1] : null };
  }

  /**
   * Carries out a client's command and answers it. The answer is built from the committed state inside the
   * transaction, so that with an Idempotency-Key it is kept with the events and a retry gets it again (with the same
   * Kafka position) instead of carrying the command out twice.
   */
  async respond<S extends { version: number }, C, E extends { type: string; data: unknown }, R extends object>(
    kind: AggregateKind<S, C, E>,
    ref: AggregateRef,
    command: C,
    meta: CommandMeta,
    answer: (decided: Decided<S>) => R,
  ): Promise<R & WriteResult> {
    return this.answerOnce(meta, async (tx) => {
      const committed = await this.commit(tx, kind, ref, command, meta);
      return { answered: { ...answer(committed), version: committed.version }, outboxSeqs: committed.outboxSeqs };
    });
  }

  /**
   * Carries out several commands of one tenant, on one or more aggregates of a kind, all or none: every aggregate's new
   * state and every event commit in one transaction (and so reach the tenant's partition of the config topic in that
   * order, the outbox relay sending them by commit order), answered as `respond` answers one. Aggregates are locked in
   * id order, so two of these over the same aggregates can't deadlock.
   */
  async respondAll<S extends { version: number }, C, E extends { type: string; data: unknown }, R extends object>(
    kind: AggregateKind<S, C, E>,
    tenantId: string,
    commands: ReadonlyArray<{ aggregateId: string; command: C }>,
    meta: CommandMeta,
    answer: (decided: Decided<S>[]) => R,
  ): Promise<R & { position: string | null }> {
    const ordered = commands.map((c, i) => ({ ...c, i })).sort((a, b) => (a.aggregateId < b.aggregateId ? -1 : a.aggregateId > b.aggregateId ? 1 : a.i - b.i));
    return this.answerOnce(meta, async (tx) => {
      const committed: Committed<S>[] = [];
      for (const c of ordered) committed.push(await this.commit(tx, kind, { tenantId, aggregateId: c.aggregateId }, c.command, meta));
      return { answered: answer(committed), outboxSeqs: committed.flatMap((c) => c.outboxSeqs) };
    });
  }

  /**
   * Runs `work` in a transaction, unless the request's Idempotency-Key was answered already (then that answer comes back,
   * with the same Kafka position), keeps its answer with the key, and waits until Kafka has the events.
   */
  private async answerOnce<R extends object>(
    meta: CommandMeta,
    work: (tx: EntityManager) => Promise<{ answered: R; outboxSeqs: string[] }>,
  ): Promise<R & { position: string | null }> {
    const request = meta.idempotency;
    const { answered, outboxSeqs, replayed } = await this.ds.transaction(async (tx) => {
      const earlier = request ? await this.idempotency.take(tx, request) : null;
      if (earlier) return { answered: earlier.answer as R, outboxSeqs: earlier.outboxSeqs, replayed: true };
      const done = await work(tx);
      if (request) await this.idempotency.record(tx, request, done.answered, done.outboxSeqs);
      return { ...done, replayed: false };
    });
    if (replayed) request?.onReplay?.();
    const positions = !outboxSeqs.length ? [] : replayed ? await this.relay.positionsOf(outboxSeqs, this.appendTimeoutMs) : await this.relay.waitForSent(outboxSeqs, this.appendTimeoutMs);
    return { ...answered, position: positions.length ? encodePosition([positions[positions.length - 1]]) : null };
  }

  /** Loads, decides, and writes the new state with its events in the outbox, in the caller's transaction (row lock = one writer per aggregate). */
  private async commit<S extends { version: number }, C, E extends { type: string; data: unknown }>(
    tx: EntityManager,
    kind: AggregateKind<S, C, E>,
    ref: AggregateRef,
    command: C,
    meta: CommandMeta,
  ): Promise<Committed<S>> {
    const rows: Array<{ state: S }> = await tx.query(
      `SELECT state FROM aggregates WHERE kind = $1 AND tenant_id = $2 AND aggregate_id = $3 FOR UPDATE`,
      [kind.kind, ref.tenantId, ref.aggregateId],
    );
    const current = rows.length ? rows[0].state : kind.initial();
    const conflict = checkExpectedVersion(current, meta.expectedVersion);
    if (conflict) throw problemFromDomain(conflict);
    const decision = kind.decide(command, current);
    if (!decision.ok) throw problemFromDomain(decision.error);
    if (decision.events.length === 0) return { state: current, version: current.version, events: [], outboxSeqs: [] };

    const next = fold(kind.evolve, current, decision.events);
    const envelopes = decision.events.map((e, i) =>
      envelope(e, {
        tenantId: ref.tenantId as TenantId,
        source: 'command-service',
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? null,
        actor: meta.actor,
        aggregateId: ref.aggregateId,
        aggregateVersion: current.version + i + 1,
      }),
    );
    await tx.query(
      `INSERT INTO aggregates (kind, tenant_id, aggregate_id, version, state, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (kind, tenant_id, aggregate_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = now()`,
      [kind.kind, ref.tenantId, ref.aggregateId, next.version, JSON.stringify(next)],
    );
    const inserted: Array<{ seq: string }> = await tx.query(
      `INSERT INTO outbox (event_id, topic, key, value, headers)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) RETURNING seq`,
      [
        envelopes.map((e) => e.id),
        envelopes.map(() => this.configTopic),
        envelopes.map(() => ref.tenantId || 'admin'),
        envelopes.map((e) => encodeEvent(e).toString('utf8')),
        envelopes.map((e) =>
          JSON.stringify({
            ...(meta.traceHeaders ?? {}),
            [HEADER.eventType]: e.type,
            [HEADER.eventId]: e.id,
            [HEADER.tenantId]: ref.tenantId,
            [HEADER.contentType]: 'application/json',
          }),
        ),
      ],
    );
    return { state: next, version: next.version, events: envelopes, outboxSeqs: inserted.map((r) => String(r.seq)) };
  }
}
