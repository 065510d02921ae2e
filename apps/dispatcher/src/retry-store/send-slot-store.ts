import { EndpointId } from '@hookline/contracts';
import { DataSource } from 'typeorm';
import { SendSlotDecision, decideSendSlots } from '../domain/send-slots';

const T = 'dispatcher.endpoint_send_slots';

/** The decision, and Postgres' clock when it was taken: every instance reads the same clock, so skew between them does not matter. */
export interface SendSlotGrant extends SendSlotDecision {
  nowMs: number;
}

/** dispatcher.endpoint_send_slots: one row per rate-limited endpoint, locked while a grant is decided (deleted endpoints' rows go through `EndpointRows`). */
export class SendSlotStore {
  constructor(private readonly db: DataSource) {}

  /** Takes up to `wanted` send slots of the endpoint now, for whichever instance asks. */
  take(endpointId: EndpointId, ratePerSecond: number, wanted: number): Promise<SendSlotGrant> {
    return this.db.transaction(async (em) => {
      // clock_timestamp, not now(): now() is when the transaction began, before any wait for another instance's lock.
      const lock = (): Promise<Array<{ next_slot_ms: number | null; now_ms: string }>> => em.query(
        `SELECT next_slot_ms, extract(epoch FROM clock_timestamp()) * 1000 AS now_ms FROM ${T} WHERE endpoint_id = $1 FOR UPDATE`,
        [endpointId],
      );
      let [row] = await lock();
      if (!row) {
        // The endpoint's first rate-limited send: another instance may be adding the row right now, hence DO NOTHING.
        await em.query(`INSERT INTO ${T} (endpoint_id) VALUES ($1) ON CONFLICT DO NOTHING`, [endpointId]);
        [row] = await lock();
      }
      const nowMs = Number(row.now_ms);
      const decision = decideSendSlots({ nextSlotMs: row.next_slot_ms }, nowMs, ratePerSecond, wanted);
      if (decision.nextSlotMs !== row.next_slot_ms) {
        await em.query(`UPDATE ${T} SET next_slot_ms = $2 WHERE endpoint_id = $1`, [endpointId, decision.nextSlotMs]);
      }
      return { ...decision, nowMs };
    });
  }
}
