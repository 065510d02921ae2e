import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';
import { EndpointSettingsDto } from '../create-endpoint/endpoint-settings.dto';

/** Validated as sent (see ShallowDto): its payload filter, headers and metadata must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class UpdateEndpointRequest extends EndpointSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;
}
