import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class DeprecateEventTypeRequest {
  @ApiPropertyOptional({ description: 'After this instant, messages of this type are refused' })
  @IsOptional()
  @IsISO8601({ strict: true })
  sunset_at?: string;
}
