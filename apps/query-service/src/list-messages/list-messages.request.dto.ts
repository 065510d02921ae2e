import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_PATTERNS, ListRequest, StorableText } from '../shared/list-request.dto';

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'dead_lettered', 'dropped'] as const;

export class ListMessagesRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Messages with at least one delivery in this status.', enum: [...DELIVERY_STATUSES], enumName: 'DeliveryStatus' })
  @IsOptional() @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Messages of this event type, e.g. `invoice.paid`.', maxLength: 256 })
  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;

  @ApiPropertyOptional({ description: 'Messages with a delivery to this endpoint.', pattern: ID_PATTERNS.endpoint.source })
  @IsOptional() @Matches(ID_PATTERNS.endpoint, { message: 'endpoint_id must be an endpoint id (ep_…)' })
  endpoint_id?: string;

  @ApiPropertyOptional({ description: 'Messages sent on this channel.', maxLength: 128 })
  @IsOptional() @IsString() @MaxLength(128) @StorableText()
  channel?: string;

  @ApiPropertyOptional({ description: 'Messages published with this tag.', maxLength: 128 })
  @IsOptional() @IsString() @MaxLength(128) @StorableText()
  tag?: string;
}
