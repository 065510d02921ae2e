import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { assertEndpointOfTenant } from '../shared/endpoint-scope';
import { QueryRuntime } from '../shared/query-runtime';
import { GetEndpointStatsRequest } from './get-endpoint-stats.request.dto';
import { CountedBucket, CountedRow, StatsSeries, askedWindow, bucketOf, countedBuckets, statsSeries } from './stats-buckets';

export interface StatsBucket extends CountedBucket {
  /** Of the bucket's attempts; null when it has none. */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export interface EndpointStatsView extends StatsSeries<StatsBucket> {
  endpoint_id: string;
}

/**
 * An endpoint's attempts over time: how many, how many succeeded, and how fast, per UTC hour or day (health, beside
 * it, is all-time). Counted from the attempts read model on its (tenant, endpoint, created_at) index, so it reaches
 * back as far as retention keeps attempts.
 */
@Injectable()
export class GetEndpointStatsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetEndpointStatsRequest, now = new Date()): Promise<EndpointStatsView> {
    const { window, stepSeconds } = askedWindow(request, now);
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      await assertEndpointOfTenant(em, tenantId, request.endpoint_id);
      const rows: Array<CountedRow & { p50: number | null; p95: number | null }> = await em.query(
        `SELECT ${bucketOf('created_at', '$4')} AS bucket, count(*) AS attempts,
                count(*) FILTER (WHERE succeeded) AS succeeded,
                percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
                percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
           FROM attempts
          WHERE tenant_id = $1 AND endpoint_id = $2 AND created_at >= $3 AND created_at < $5
          GROUP BY 1`,
        [tenantId, request.endpoint_id, window.since, stepSeconds, window.until]);
      const buckets = countedBuckets(window, rows).map(({ bucket, row }): StatsBucket =>
        ({ ...bucket, latency_p50_ms: row?.p50 ?? null, latency_p95_ms: row?.p95 ?? null }));
      return { endpoint_id: request.endpoint_id, ...statsSeries(window, buckets) };
    });
  }
}
