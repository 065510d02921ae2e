import { ApiPropertyOptional } from '@nestjs/swagger';
import { BooleanQuery } from '../shared/boolean-query';
import { ListRequest } from '../shared/list-request.dto';

export class ListSourcesRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'true: only enabled sources; false: only disabled ones (which answer 404 to their provider).', type: 'boolean' })
  @BooleanQuery('enabled')
  enabled?: boolean;
}
