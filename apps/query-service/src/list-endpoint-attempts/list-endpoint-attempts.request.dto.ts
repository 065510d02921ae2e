import { Matches } from 'class-validator';
import { ID_PATTERNS, ListRequest } from '../shared/list-request.dto';

export class ListEndpointAttemptsRequest extends ListRequest {
  @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id!: string;
}
