import { EndpointId } from '@hookline/contracts';
import { DataSource } from 'typeorm';
import { shareOf } from '../domain/in-flight-shares';

const T = 'dispatcher.endpoint_in_flight_shares';
// The first key of the advisory locks taken here (the second is the endpoint's hash), so they meet no other lock.
const LOCK_CLASS = 0x48_6c_69; // "Hli"

export interface ShareLook {
  endpointId: EndpointId;
  instanceId: string;
  /** The endpoint's max_in_flight now. */
  max: number;
  /**
   * The least the row must say this instance holds: its attempts in flight, and what it may still start under its
   * current share until this look's answer arrives. The others decide against this, so it is never under-reported.
   */
  floor: number;
  /** Whether the instance sends to the endpoint or waits to: without, it gets no share (and its row goes once the floor is 0). */
  wants: boolean;
  /** How long the row stands without a renewal (then other instances ignore it). */
  leaseMs: number;
}

/**
 * dispatcher.endpoint_in_flight_shares: one row per instance sending to an endpoint with a max_in_flight. A look is
 * one short transaction under an advisory lock per endpoint, so two instances never decide against each other.
 */
export class InFlightShareStore {
  constructor(private readonly db: DataSource) {}

  /** This instance's share of the endpoint until its next look (0 when it gives its row up). */
  look(look: ShareLook): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_CLASS, look.endpointId]);
      await tx.query(`DELETE FROM ${T} WHERE endpoint_id = $1 AND expires_at <= now()`, [look.endpointId]);
      if (!look.wants && look.floor === 0) {
        await tx.query(`DELETE FROM ${T} WHERE endpoint_id = $1 AND instance_id = $2`, [look.endpointId, look.instanceId]);
        return 0;
      }
      const rows: Array<{ instance_id: string; held: number }> = await tx.query(
        `SELECT instance_id, held FROM ${T} WHERE endpoint_id = $1 AND instance_id <> $2`,
        [look.endpointId, look.instanceId],
      );
      const share = look.wants ? shareOf({ max: look.max, self: look.instanceId, others: rows.map((r) => ({ instanceId: r.instance_id, held: r.held })), nowMs: Date.now() }) : 0;
      await tx.query(
        `INSERT INTO ${T} (endpoint_id, instance_id, held, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         ON CONFLICT (endpoint_id, instance_id) DO UPDATE SET held = EXCLUDED.held, expires_at = EXCLUDED.expires_at`,
        [look.endpointId, look.instanceId, Math.max(look.floor, share), look.leaseMs / 1000],
      );
      return share;
    });
  }

  /** Gives up every row of this instance (it stops, its attempts have finished). */
  async releaseAll(instanceId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${T} WHERE instance_id = $1`, [instanceId]);
  }
}
