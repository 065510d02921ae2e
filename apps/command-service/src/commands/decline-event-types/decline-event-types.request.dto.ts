import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, Length } from 'class-validator';

export class DeclineEventTypesRequest {
  @ApiProperty({ type: [String], description: 'Types needing approval the endpoint awaits approval for, to decline' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  event_types!: string[];

  @ApiPropertyOptional({ description: 'Why the types were declined, for the audit log' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
