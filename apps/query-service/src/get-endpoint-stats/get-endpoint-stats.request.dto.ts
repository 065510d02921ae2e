import { Matches } from 'class-validator';
import { ID_PATTERNS } from '../shared/list-request.dto';
import { StatsWindowRequest } from './stats-window.request.dto';

export class GetEndpointStatsRequest extends StatsWindowRequest {
  @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id!: string;
}
