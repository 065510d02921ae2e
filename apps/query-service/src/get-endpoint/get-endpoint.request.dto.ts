import { Matches } from 'class-validator';
import { ID_PATTERNS, ScopedRequest } from '../shared/list-request.dto';

export class GetEndpointRequest extends ScopedRequest {
  @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id!: string;
}
