import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERNS, ListRequest, StorableText } from '../shared/list-request.dto';

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'dead_lettered', 'dropped'] as const;

export class ListMessagesRequest extends ListRequest {
  /** Messages with at least one delivery in this status. */
  @IsOptional() @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: (typeof DELIVERY_STATUSES)[number];

  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;

  /** Messages with a delivery to this endpoint. */
  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;

  @IsOptional() @IsString() @MaxLength(128) @StorableText()
  channel?: string;
}
