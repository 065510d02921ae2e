import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERNS, ListRequest, StorableText } from '../shared/list-request.dto';

export class ListDeadLettersRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Dead letters of this endpoint.', pattern: ID_PATTERNS.endpoint.source })
  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;

  @ApiPropertyOptional({ description: 'Dead letters of messages of this event type.', maxLength: 256 })
  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;
}
