import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { assertEndpointOfTenant } from '../shared/endpoint-scope';
import { QueryRuntime } from '../shared/query-runtime';
import { GetEndpointStatsRequest } from './get-endpoint-stats.request.dto';
import { StatsInterval, statsWindow } from './stats-window';

export interface StatsBucket {
  start: string;
  attempts: number;
  succeeded: number;
  failed: number;
  /** Of the bucket's attempts; null when it has none. */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export interface EndpointStatsView {
  endpoint_id: string;
  interval: StatsInterval;
  since: string;
  until: string;
  totals: { attempts: number; succeeded: number; failed: number };
  /** Every bucket of the window, oldest first; a quiet one has zeros. */
  buckets: StatsBucket[];
}

const STEP_SECONDS: Record<StatsInterval, number> = { hour: 3600, day: 86_400 };

/**
 * An endpoint's attempts over time: how many, how many succeeded, and how fast, per UTC hour or day (health, beside
 * it, is all-time). Counted from the attempts read model on its (tenant, endpoint, created_at) index, so it reaches
 * back as far as retention keeps attempts.
 */
@Injectable()
export class GetEndpointStatsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetEndpointStatsRequest, now = new Date()): Promise<EndpointStatsView> {
    const interval = request.interval ?? 'hour';
    const asked = statsWindow(interval, now, request.since, request.until);
    if (!asked.ok) throw new ProblemError('validation', asked.detail, [{ pointer: asked.pointer, detail: asked.detail }]);
    const { window } = asked;
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      await assertEndpointOfTenant(em, tenantId, request.endpoint_id);
      const step = STEP_SECONDS[interval];
      // Buckets by epoch arithmetic rather than date_trunc: the same on any server time zone and Postgres version.
      const rows: Array<{ bucket: string; attempts: string; succeeded: string; p50: number | null; p95: number | null }> = await em.query(
        `SELECT (floor(extract(epoch FROM created_at) / $4) * $4)::bigint AS bucket, count(*) AS attempts,
                count(*) FILTER (WHERE succeeded) AS succeeded,
                percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
           FROM attempts
          WHERE tenant_id = $1 AND endpoint_id = $2 AND created_at >= $3 AND created_at < $5
          GROUP BY 1`,
        [tenantId, request.endpoint_id, window.since, step, window.until]);
      const byStart = new Map(rows.map((r) => [Number(r.bucket) * 1000, r]));
      const buckets = window.starts.map((start): StatsBucket => {
        const row = byStart.get(start.getTime());
        const attempts = Number(row?.attempts ?? 0);
        const succeeded = Number(row?.succeeded ?? 0);
        return { start: start.toISOString(), attempts, succeeded, failed: attempts - succeeded,
          latency_p50_ms: row?.p50 ?? null, latency_p95_ms: row?.p95 ?? null };
      });
      const totals = buckets.reduce((t, b) => ({ attempts: t.attempts + b.attempts, succeeded: t.succeeded + b.succeeded, failed: t.failed + b.failed }),
        { attempts: 0, succeeded: 0, failed: 0 });
      return { endpoint_id: request.endpoint_id, interval, since: window.since.toISOString(), until: window.until.toISOString(), totals, buckets };
    });
  }
}
