import { Client } from 'pg';
import { DeliveryId, EndpointId, MessageId, deliveryIdOf } from '@hookline/contracts';
import { deliveryKey } from '../gate/integrity-gate';
import { sleep, wallMs } from '../measure/clock';
import { BenchTenant } from './setup';

export const LAG_POLL_MS = 100;

/**
 * Read-model lag by sampling: every n-th accepted message's deliveries are looked up by primary key in the query
 * service's `deliveries` table every LAG_POLL_MS; the first poll that sees a row `succeeded` stamps it. Lag is that
 * stamp minus the delivery's arrival at the receiver — an upper bound, at most one poll interval too high.
 * Also samples the query service's own offset lag (records not yet projected) once a second.
 */
export class LagSampler {
  private readonly pending = new Map<DeliveryId, string>();
  readonly seenAt = new Map<string, number>();
  readonly recordLag: Array<[number, number]> = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private db: Client | undefined;
  private schema = '';

  constructor(private readonly databaseUrl: string, private readonly projectionBacklog: () => Promise<number | null>,
    private readonly tenantOf: (streamTarget: number) => BenchTenant) {}

  /** Generator 'accepted' events: [messageId, stream * 1000 + target]. */
  add(sampled: Array<[string, number]>): void {
    for (const [messageId, st] of sampled) {
      for (const e of this.tenantOf(st).endpoints) {
        this.pending.set(deliveryIdOf(messageId as MessageId, e.endpointId as EndpointId), deliveryKey(e.endpointId, messageId));
      }
    }
  }

  async start(): Promise<void> {
    this.db = new Client({ connectionString: this.databaseUrl, application_name: 'bench-lag-sampler' });
    this.db.on('error', () => undefined);
    await this.db.connect();
    const { rows } = await this.db.query<{ generation: number }>('SELECT generation FROM query.active_generation');
    if (!rows.length) throw new Error('the query service has no active read-model generation');
    this.schema = `query_g${rows[0].generation}`;
    this.running = true;
    this.loops = [this.pollRows(), this.pollRecords()];
  }

  /** Stops after the pending samples were seen, or after graceMs. Returns how many were never seen. */
  async stop(graceMs: number): Promise<number> {
    const deadline = wallMs() + graceMs;
    while (this.pending.size > 0 && wallMs() < deadline) await sleep(LAG_POLL_MS);
    this.running = false;
    await Promise.all(this.loops);
    await this.db?.end();
    return this.pending.size;
  }

  private async pollRows(): Promise<void> {
    while (this.running) {
      const ids = [...this.pending.keys()];
      if (ids.length) {
        const at = wallMs();
        const { rows } = await (this.db as Client).query<{ delivery_id: DeliveryId }>(
          `SELECT delivery_id FROM ${this.schema}.deliveries WHERE delivery_id = ANY($1) AND status = 'succeeded'`, [ids]);
        for (const r of rows) {
          const key = this.pending.get(r.delivery_id);
          if (key === undefined) continue;
          this.pending.delete(r.delivery_id);
          this.seenAt.set(key, at);
        }
      }
      await sleep(LAG_POLL_MS);
    }
  }

  private async pollRecords(): Promise<void> {
    while (this.running) {
      const total = await this.projectionBacklog();
      if (total !== null) this.recordLag.push([wallMs(), total]); // a missed sample is just a gap
      await sleep(1000);
    }
  }
}
