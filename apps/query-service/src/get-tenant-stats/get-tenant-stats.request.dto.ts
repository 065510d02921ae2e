import { StatsWindowRequest } from '../get-endpoint-stats/stats-window.request.dto';

/** The tenant's statistics take the window alone: the tenant is the caller's (or `tenant_id`, for an admin key). */
export class GetTenantStatsRequest extends StatsWindowRequest {}
