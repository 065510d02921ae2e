import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListRequest, StorableText } from '../shared/list-request.dto';

export class ListAuditLogRequest extends ListRequest {
  /** Changes of one endpoint, key, event type or tenant. */
  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  aggregate_id?: string;

  /** One event type, e.g. `endpoint.updated.v1`. */
  @IsOptional() @IsString() @MaxLength(128) @StorableText()
  type?: string;
}
