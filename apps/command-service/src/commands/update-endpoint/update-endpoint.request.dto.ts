import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { EndpointSettingsDto } from '../create-endpoint/endpoint-settings.dto';

export class UpdateEndpointRequest extends EndpointSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;
}
