import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERNS, ListRequest, StorableText } from '../shared/list-request.dto';

export class ListDeadLettersRequest extends ListRequest {
  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;

  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;
}
