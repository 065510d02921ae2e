import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, Length } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): its JSON Schema must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class CreateEventTypeRequest {
  @ApiProperty({ example: 'invoice.paid' })
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'JSON Schema of the payload (version 1)' })
  @IsOptional()
  @IsObject()
  schema?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Endpoints subscribing to this type wait for approval' })
  @IsOptional()
  @IsBoolean()
  requires_approval?: boolean;
}
