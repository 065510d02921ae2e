import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { CountedBucket, CountedRow, StatsSeries, askedWindow, bucketOf, countedBuckets, statsSeries } from '../get-endpoint-stats/stats-buckets';
import { QueryRuntime } from '../shared/query-runtime';
import { GetTenantStatsRequest } from './get-tenant-stats.request.dto';

export interface TenantStatsView extends StatsSeries<CountedBucket> {
  tenant_id: string;
}

/**
 * The attempts of all the tenant's endpoints (deleted ones too) over time: how many, how many succeeded and failed,
 * per UTC hour or day, in the windows the endpoint statistics allow. No latency: one figure over endpoints as far
 * apart as a local receiver and another continent's would describe none of them.
 *
 * Counted endpoint by endpoint (a LATERAL per row of the tenant's endpoints), each on the attempts_endpoint index's
 * (tenant, endpoint, created_at) range: attempts have no (tenant, created_at) index, and one more index on the most
 * written table would slow every delivery to serve a dashboard. Endpoint rows stay when endpoints are deleted; attempts
 * projected before their endpoint's config event (a moment of a rebuild) count once that row is there.
 */
@Injectable()
export class GetTenantStatsQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetTenantStatsRequest, now = new Date()): Promise<TenantStatsView> {
    const { window, stepSeconds } = askedWindow(request, now);
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const rows: CountedRow[] = await em.query(
        `SELECT s.bucket, sum(s.attempts) AS attempts, sum(s.succeeded) AS succeeded
           FROM endpoints e
          CROSS JOIN LATERAL (
                SELECT ${bucketOf('a.created_at', '$4')} AS bucket, count(*) AS attempts, count(*) FILTER (WHERE a.succeeded) AS succeeded
                  FROM attempts a
                 WHERE a.tenant_id = $1 AND a.endpoint_id = e.endpoint_id AND a.created_at >= $2 AND a.created_at < $3
                 GROUP BY 1) s
          WHERE e.tenant_id = $1
          GROUP BY s.bucket`,
        [tenantId, window.since, window.until, stepSeconds]);
      return { tenant_id: tenantId, ...statsSeries(window, countedBuckets(window, rows).map(({ bucket }) => bucket)) };
    });
  }
}
