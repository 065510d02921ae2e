import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';

/** An endpoint id (ep_…), as a message may name the endpoints it is for. */
export const ENDPOINT_ID_PATTERN = /^ep_[0-9A-HJKMNP-TV-Z]{26}$/;

/** What a message is made of, by the same rules wherever one is given: a publish, or a transformation preview's sample. */
export class MessageContentDto {
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
}
