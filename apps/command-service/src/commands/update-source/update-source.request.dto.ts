import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';
import type { SourceEventTypeV1 } from '@hookline/contracts';
import { SOURCE_EVENT_TYPE_SCHEMA, SOURCE_VERIFICATION_SCHEMA, type SourceVerificationInput } from '../../shared/source-input';
import { SourceSettingsDto, schemaProperty } from '../create-source/source-settings.dto';

/** A JSON merge patch of a source: fields left out stay; a verification is replaced whole (its secret sent again). */
@ShallowDto()
export class UpdateSourceRequest extends SourceSettingsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional(schemaProperty(SOURCE_VERIFICATION_SCHEMA, { description: 'Replaces the verification, secret included' }))
  @IsOptional()
  @IsObject()
  verification?: SourceVerificationInput;

  @ApiPropertyOptional(schemaProperty(SOURCE_EVENT_TYPE_SCHEMA))
  @IsOptional()
  @IsObject()
  event_type?: SourceEventTypeV1;
}
