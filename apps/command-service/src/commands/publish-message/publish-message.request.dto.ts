import { ApiPropertyOptional } from '@nestjs/swagger';
import { ShallowDto } from '@hookline/service-kit';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ENDPOINT_ID_PATTERN, MessageContentDto } from '../../shared/message-content.dto';

/** Validated as sent: the payload is checked by its event type's JSON Schema and must reach receivers unchanged. */
@ShallowDto()
export class PublishMessageRequest extends MessageContentDto {
  @ApiPropertyOptional({ description: 'Messages with the same key reach FIFO endpoints in publish order' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  ordering_key?: string;

  @ApiPropertyOptional({ type: [String], description: 'Only these endpoints (of those subscribed to it) get the message; omitted = all subscribed' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'endpoint_ids must name at least one endpoint (omit it to reach every subscribed endpoint)' })
  @ArrayMaxSize(50)
  @Matches(ENDPOINT_ID_PATTERN, { each: true, message: 'endpoint_ids are endpoint ids (ep_…)' })
  endpoint_ids?: string[];

  @ApiPropertyOptional({
    type: [String], example: ['customer:cus_42', 'region/eu'],
    description: 'Labels to find the message by later (`GET /v1/messages?tag=` on the query service): they do not choose endpoints and are not sent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  @Matches(/^[\w.:/#-]+$/, { each: true, message: 'tags are letters, digits, _ . : / # -' })
  tags?: string[];
}
