import { Matches } from 'class-validator';
import { AttemptListRequest } from '../shared/attempt-list-request.dto';
import { ID_PATTERNS } from '../shared/list-request.dto';

export class ListEndpointAttemptsRequest extends AttemptListRequest {
  @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id!: string;
}
