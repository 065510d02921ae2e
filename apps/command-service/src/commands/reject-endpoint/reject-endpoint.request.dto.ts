import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class RejectEndpointRequest {
  @ApiPropertyOptional({ description: 'Why the subscription was rejected' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
