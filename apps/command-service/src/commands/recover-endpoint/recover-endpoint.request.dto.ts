import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class RecoverEndpointRequest {
  @ApiProperty({ description: 'Retry failed deliveries of messages published at or after this instant' })
  @IsISO8601({ strict: true })
  since!: string;

  @ApiPropertyOptional({ description: 'Up to (not including) this instant; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}
