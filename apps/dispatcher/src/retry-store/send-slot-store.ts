import { EndpointId } from '@hookline/contracts';
import { DataSource } from 'typeorm';
import { SendSlotDecision, burstOf, slotIntervalMs } from '../domain/send-slots';

const T = 'dispatcher.endpoint_send_slots';

/** The decision, and Postgres' clock when it was taken: every instance reads the same clock, so skew between them does not matter. */
export interface SendSlotGrant extends SendSlotDecision {
  nowMs: number;
}

// The grant as one UPDATE (the generic cell rate algorithm of domain/send-slots.ts), in the row's old values:
//   start   = the next free slot, but no earlier than a burst's span ago (an idle endpoint saves up one burst, no more)
//   granted = the slots from start up to now, at most the wanted number
//   next    = start + granted slots
// The clock is read once, before any wait for another instance's lock on the row: a stale clock only grants fewer.
const START = `greatest(coalesce(s.next_slot_ms, '-Infinity'::float8), c.now_ms - $3::float8)`;
const GRANTED = `CASE WHEN ${START} > c.now_ms THEN 0 ELSE least($4::int, floor((c.now_ms - ${START}) / $2::float8)::int + 1) END`;
const TAKE = `UPDATE ${T} s SET granted = ${GRANTED}, next_slot_ms = ${START} + (${GRANTED}) * $2::float8
  FROM (SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS now_ms) c
  WHERE s.endpoint_id = $1
  RETURNING s.granted, s.next_slot_ms, c.now_ms`;

/**
 * dispatcher.endpoint_send_slots: one row per rate-limited endpoint. A grant is one statement, so it costs one round
 * trip and holds the row's lock no longer than that (deleted endpoints' rows go through `EndpointRows`).
 */
export class SendSlotStore {
  constructor(private readonly db: DataSource) {}

  /** Takes up to `wanted` send slots of the endpoint now, for whichever instance asks. */
  async take(endpointId: EndpointId, ratePerSecond: number, wanted: number): Promise<SendSlotGrant> {
    const interval = slotIntervalMs(ratePerSecond);
    const params = [endpointId, interval, (burstOf(ratePerSecond) - 1) * interval, wanted];
    let [rows] = await this.db.query(TAKE, params);
    if (rows.length === 0) {
      // The endpoint's first rate-limited send: another instance may be adding the row right now, hence DO NOTHING.
      await this.db.query(`INSERT INTO ${T} (endpoint_id) VALUES ($1) ON CONFLICT DO NOTHING`, [endpointId]);
      [rows] = await this.db.query(TAKE, params);
    }
    const row = rows[0] as { granted: number; next_slot_ms: number; now_ms: number };
    return { granted: row.granted, nextSlotMs: Number(row.next_slot_ms), nowMs: Number(row.now_ms) };
  }
}
