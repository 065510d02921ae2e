import { IsOptional, Matches } from 'class-validator';
import { ID_PATTERNS, ListRequest } from '../shared/list-request.dto';

export class ListMessageAttemptsRequest extends ListRequest {
  @Matches(ID_PATTERNS.message, { message: 'message_id must be a message id (msg_…)' })
  message_id!: string;

  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;
}
