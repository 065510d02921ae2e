import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Endpoint settings shared by create (where `url` is required) and update (where everything is optional). */
export class EndpointSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Event types to receive; omitted = all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  event_types?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Only messages carrying one of these channels' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  channels?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Payload filter, e.g. {"amount": {"$gt": 100}}' })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Custom headers sent with every webhook' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Most webhooks per second sent to this endpoint' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  rate_limit_per_second?: number;

  @ApiPropertyOptional({ description: 'Most attempts in flight at once to this endpoint' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  max_in_flight?: number;

  @ApiPropertyOptional({ type: [Number], description: 'Seconds between attempts after the first, e.g. [5, 300, 1800]' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(7 * 24 * 3600, { each: true })
  retry_schedule_seconds?: number[];

  @ApiPropertyOptional({ description: 'Deliver strictly in order, one at a time' })
  @IsOptional()
  @IsBoolean()
  fifo?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}
