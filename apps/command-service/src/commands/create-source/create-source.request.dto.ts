import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';
import type { SourceEventTypeV1 } from '@hookline/contracts';
import { SOURCE_EVENT_TYPE_SCHEMA, SOURCE_VERIFICATION_SCHEMA, type SourceVerificationInput } from '../../shared/source-input';
import { SourceSettingsDto, schemaProperty } from './source-settings.dto';

/** Validated as sent (see ShallowDto): the nested settings are checked field by field by their JSON Schemas. */
@ShallowDto()
export class CreateSourceRequest extends SourceSettingsDto {
  @ApiProperty({ example: 'GitHub', minLength: 1, maxLength: 64 })
  @IsString()
  name!: string;

  @ApiProperty(schemaProperty(SOURCE_VERIFICATION_SCHEMA, {
    description: 'How each request proves it comes from the provider. Secrets are sealed at once and never shown again. '
      + '`github` and `shopify` are presets of `hmac`; `slack` and `zoom` of `v0_hmac`.',
    example: { type: 'github', secret: 'It5-a-s3cret' },
  }))
  @IsObject()
  verification!: SourceVerificationInput;

  @ApiProperty(schemaProperty(SOURCE_EVENT_TYPE_SCHEMA, { description: 'Where each webhook\'s event type is', example: { from: 'header', header: 'x-github-event' } }))
  @IsObject()
  event_type!: SourceEventTypeV1;
}
