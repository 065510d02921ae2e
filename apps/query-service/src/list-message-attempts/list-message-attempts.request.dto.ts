import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AttemptListRequest } from '../shared/attempt-list-request.dto';
import { ID_PATTERNS } from '../shared/list-request.dto';

export class ListMessageAttemptsRequest extends AttemptListRequest {
  @Matches(ID_PATTERNS.message, { message: 'message_id must be a message id (msg_…)' })
  message_id!: string;

  @ApiPropertyOptional({ description: 'Only the attempts to this endpoint.', pattern: ID_PATTERNS.endpoint.source })
  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;
}
