import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListRequest } from '../shared/list-request.dto';

export const ENDPOINT_STATUSES = ['enabled', 'disabled', 'pending_approval', 'deleted'] as const;

export class ListEndpointsRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Only endpoints in this status; without it, every endpoint but the deleted ones.', enum: [...ENDPOINT_STATUSES], enumName: 'EndpointStatus' })
  @IsOptional() @IsIn(ENDPOINT_STATUSES, { message: `status must be one of ${ENDPOINT_STATUSES.join(', ')}` })
  status?: (typeof ENDPOINT_STATUSES)[number];
}
