import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ShallowDto } from '@hookline/service-kit';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';

/** Validated as sent: the payload is checked by its event type's JSON Schema and must reach receivers unchanged. */
@ShallowDto()
export class PublishMessageRequest {
  @ApiProperty({ example: 'invoice.paid' })
  @IsString()
  @Length(1, 128)
  event_type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { invoice_id: 'in_123', amount: 4200 } })
  @IsObject()
  payload!: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'Channels this message belongs to (endpoints may filter on them)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  @Matches(/^[\w.:-]+$/, { each: true, message: 'channels are letters, digits, _ . : -' })
  channels?: string[];

  @ApiPropertyOptional({ description: 'Messages with the same key reach FIFO endpoints in publish order' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  ordering_key?: string;
}
