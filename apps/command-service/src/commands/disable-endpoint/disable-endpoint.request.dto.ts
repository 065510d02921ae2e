import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class DisableEndpointRequest {
  @ApiPropertyOptional({ description: 'Why, for the audit log' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  detail?: string;
}
