import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, ValidateIf } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): the document's schemas must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class ImportEventTypesRequest {
  @ApiProperty({
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
    description: 'The OpenAPI 3.1 (webhooks) or 3.0 (x-webhooks) document: as JSON, or its text as a string, YAML or JSON '
      + '(`jq -n --rawfile spec openapi.yaml \'{spec: $spec}\'`). Each webhook\'s post operation becomes an event type named by its key',
  })
  @ValidateIf((_o, v) => typeof v !== 'string')
  @IsObject({ message: 'spec must be an object (the document as JSON) or a string (its YAML or JSON text)' })
  spec!: Record<string, unknown> | string;

  @ApiPropertyOptional({ description: 'Answer what the import would do, and change nothing' })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;

  @ApiPropertyOptional({ description: 'Change event types that exist: a new schema version where the schema differs, and the description (otherwise they are skipped)' })
  @IsOptional()
  @IsBoolean()
  update_existing?: boolean;

  @ApiPropertyOptional({ description: 'With update_existing: publish schema versions even where they break payloads valid under the current version' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
