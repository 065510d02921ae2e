import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class ReplayEndpointRequest {
  @ApiProperty({ description: 'Send again the messages published at or after this instant' })
  @IsISO8601({ strict: true })
  since!: string;

  @ApiPropertyOptional({ description: 'Up to (not including) this instant; default now. Pass the same until when going on from next_since.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}
