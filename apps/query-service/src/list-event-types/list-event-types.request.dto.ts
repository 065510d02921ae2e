import { ApiPropertyOptional } from '@nestjs/swagger';
import { BooleanQuery } from '../shared/boolean-query';
import { ListRequest } from '../shared/list-request.dto';

export class ListEventTypesRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Also list deleted event types.', type: 'boolean', default: false })
  @BooleanQuery('include_deleted')
  include_deleted?: boolean;
}
