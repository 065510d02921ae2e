import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { ListRequest } from '../shared/list-request.dto';

export class ListEventTypesRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Also list deleted event types.', type: 'boolean', default: false })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'include_deleted must be true or false' })
  include_deleted?: boolean;
}
