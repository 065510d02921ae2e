import { EndpointId } from '@hookline/contracts';
import { DataSource } from 'typeorm';

const T = 'dispatcher.endpoint_breakers';
const W = 'dispatcher.endpoint_breaker_windows';

/** One endpoint's attempts in a failure window. */
export interface EndpointWindow {
  endpointId: EndpointId;
  ok: number;
  failed: number;
}

/** A breaker that is not closed, as all instances see it. Times are epoch milliseconds (Postgres' clock). */
export interface SharedBreakerRow {
  endpointId: EndpointId;
  state: 'open' | 'half_open';
  openUntil: number;
  /** The instance sending the half-open probe, and until when its claim stands (it may have died). */
  probeHolder: string | null;
  probeUntil: number | null;
}

/** Whether this call made the change (and so announces it), and the row as it stands after it (null: closed). */
export interface BreakerWrite {
  won: boolean;
  row: SharedBreakerRow | null;
}

/** The columns of a SharedBreakerRow, of the table under `alias` (when the statement names it). */
const columns = (alias = ''): string => `${alias}endpoint_id, ${alias}state, (extract(epoch FROM ${alias}open_until) * 1000)::float8 AS open_until,
  ${alias}probe_holder, (extract(epoch FROM ${alias}probe_until) * 1000)::float8 AS probe_until`;
const COLUMNS = columns();

interface Raw {
  endpoint_id: string;
  state: 'open' | 'half_open';
  open_until: number;
  probe_holder: string | null;
  probe_until: number | null;
}

// TypeORM answers an UPDATE or DELETE with [rows, count] (an INSERT or SELECT with the rows alone).
async function changed<R>(answer: Promise<[R[], number]>): Promise<R[]> {
  return (await answer)[0];
}

const toRow = (r: Raw): SharedBreakerRow => ({
  endpointId: r.endpoint_id as EndpointId, state: r.state, openUntil: Number(r.open_until), probeHolder: r.probe_holder,
  probeUntil: r.probe_until === null ? null : Number(r.probe_until),
});

/**
 * dispatcher.endpoint_breakers: every change is one conditional statement, so when two instances race to open a
 * breaker, claim its probe or settle it, exactly one wins (and announces it); the loser reads what stands.
 */
export class BreakerStore {
  constructor(private readonly db: DataSource) {}

  /** Opens a closed breaker for `openMs`. Lost when another instance opened it (or probes it) already. */
  async open(endpointId: EndpointId, openMs: number): Promise<BreakerWrite> {
    const rows: Raw[] = await this.db.query(
      `INSERT INTO ${T} (endpoint_id, state, open_until) VALUES ($1, 'open', now() + make_interval(secs => $2))
       ON CONFLICT (endpoint_id) DO NOTHING RETURNING ${COLUMNS}`, [endpointId, openMs / 1000]);
    return rows.length ? { won: true, row: toRow(rows[0]) } : { won: false, row: await this.get(endpointId) };
  }

  /**
   * Claims the half-open probe: won when the open period is over, or the last holder's claim lapsed (it died while
   * probing), or the holder is this instance (restarted under the same INSTANCE_ID). `from` is the state before (an open → half-open change is announced, a taken-over probe is not).
   */
  async claimProbe(endpointId: EndpointId, holder: string, leaseMs: number): Promise<BreakerWrite & { from: SharedBreakerRow['state'] | null }> {
    const rows = await changed<Raw & { was: SharedBreakerRow['state'] }>(this.db.query(
      `WITH before AS (SELECT endpoint_id, state FROM ${T} WHERE endpoint_id = $1 FOR UPDATE)
       UPDATE ${T} b SET state = 'half_open', probe_holder = $2, probe_until = now() + make_interval(secs => $3), changed_at = now()
         FROM before
        WHERE b.endpoint_id = before.endpoint_id
          AND ((b.state = 'open' AND b.open_until <= now()) OR (b.state = 'half_open' AND (b.probe_until <= now() OR b.probe_holder = $2)))
       RETURNING ${columns('b.')}, before.state AS was`,
      [endpointId, holder, leaseMs / 1000]));
    if (rows.length) return { won: true, from: rows[0].was, row: toRow(rows[0]) };
    const row = await this.get(endpointId);
    return { won: false, from: row?.state ?? null, row };
  }

  /** Ends this holder's probe: its success closes the breaker (the row goes), its failure opens it again for `openMs`. */
  async settleProbe(endpointId: EndpointId, holder: string, ok: boolean, openMs: number): Promise<BreakerWrite> {
    if (ok) {
      const gone = await changed(this.db.query(
        `DELETE FROM ${T} WHERE endpoint_id = $1 AND state = 'half_open' AND probe_holder = $2 RETURNING endpoint_id`, [endpointId, holder]));
      return gone.length ? { won: true, row: null } : { won: false, row: await this.get(endpointId) };
    }
    const rows = await changed<Raw>(this.db.query(
      `UPDATE ${T} SET state = 'open', open_until = now() + make_interval(secs => $3), probe_holder = NULL, probe_until = NULL,
              changed_at = now()
        WHERE endpoint_id = $1 AND state = 'half_open' AND probe_holder = $2 RETURNING ${COLUMNS}`, [endpointId, holder, openMs / 1000]));
    return rows.length ? { won: true, row: toRow(rows[0]) } : { won: false, row: await this.get(endpointId) };
  }

  /**
   * A probe that never ran (the delivery was parked, or the instance stops): its claim lapses now, so the next attempt,
   * anywhere, may probe (still half-open: taking the probe over is not a change to announce).
   */
  async releaseProbe(endpointId: EndpointId, holder: string): Promise<void> {
    await this.db.query(`UPDATE ${T} SET probe_until = now() WHERE endpoint_id = $1 AND state = 'half_open' AND probe_holder = $2`, [endpointId, holder]);
  }

  /** Every breaker that is not closed. */
  async all(): Promise<SharedBreakerRow[]> {
    return ((await this.db.query(`SELECT ${COLUMNS} FROM ${T}`)) as Raw[]).map(toRow);
  }

  /**
   * Reports this instance's failure windows (the endpoints it saw fail; `cleared`: those it reported before that no
   * longer have a failure) and returns what the other instances reported, summed per endpoint. A report stands for
   * `ttlMs`: a dead instance's stops counting then, and is removed a minute later.
   */
  async exchangeWindows(instanceId: string, own: EndpointWindow[], cleared: EndpointId[], ttlMs: number): Promise<EndpointWindow[]> {
    const rows: Array<{ endpoint_id: string; ok: number; failed: number }> = await this.db.query(
      `WITH gone AS (
         DELETE FROM ${W} WHERE (instance_id = $1 AND endpoint_id = ANY($5::text[])) OR expires_at < now() - interval '1 minute'),
       put AS (
         INSERT INTO ${W} (endpoint_id, instance_id, ok, failed, expires_at)
         SELECT e, $1, o, f, now() + make_interval(secs => $6) FROM unnest($2::text[], $3::int[], $4::int[]) AS w(e, o, f)
         ON CONFLICT (endpoint_id, instance_id) DO UPDATE SET ok = EXCLUDED.ok, failed = EXCLUDED.failed, expires_at = EXCLUDED.expires_at)
       SELECT endpoint_id, sum(ok)::int AS ok, sum(failed)::int AS failed FROM ${W}
        WHERE instance_id <> $1 AND expires_at > now() GROUP BY endpoint_id`,
      [instanceId, own.map((w) => w.endpointId), own.map((w) => w.ok), own.map((w) => w.failed), cleared, ttlMs / 1000]);
    return rows.map((r) => ({ endpointId: r.endpoint_id as EndpointId, ok: r.ok, failed: r.failed }));
  }

  private async get(endpointId: EndpointId): Promise<SharedBreakerRow | null> {
    const rows: Raw[] = await this.db.query(`SELECT ${COLUMNS} FROM ${T} WHERE endpoint_id = $1`, [endpointId]);
    return rows.length ? toRow(rows[0]) : null;
  }
}
