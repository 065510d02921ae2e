import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { BooleanQuery } from '../shared/boolean-query';
import { ListRequest } from '../shared/list-request.dto';

export const ENDPOINT_STATUSES = ['enabled', 'disabled', 'pending_approval', 'deleted'] as const;

export class ListEndpointsRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Only endpoints in this status; without it, every endpoint but the deleted ones.', enum: [...ENDPOINT_STATUSES], enumName: 'EndpointStatus' })
  @IsOptional() @IsIn(ENDPOINT_STATUSES, { message: `status must be one of ${ENDPOINT_STATUSES.join(', ')}` })
  status?: (typeof ENDPOINT_STATUSES)[number];

  @ApiPropertyOptional({
    description: 'true: only endpoints of every event type that await approval for a type needing it (see event_types_awaiting_approval); '
      + 'false: only those that await none.',
    type: 'boolean',
  })
  @BooleanQuery('awaiting_approval')
  awaiting_approval?: boolean;
}
