import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListRequest, StorableText } from '../shared/list-request.dto';

export class ListAuditLogRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Changes of one endpoint, API key, event type or tenant (its aggregate id).', maxLength: 256 })
  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  aggregate_id?: string;

  @ApiPropertyOptional({ description: 'Changes recorded by one event type, e.g. `endpoint.updated.v1`.', maxLength: 128 })
  @IsOptional() @IsString() @MaxLength(128) @StorableText()
  type?: string;
}
