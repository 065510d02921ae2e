import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): the document's schemas must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class ImportEventTypesRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The OpenAPI 3.1 (webhooks) or 3.0 (x-webhooks) document, as JSON: each webhook\'s post operation becomes an event type named by its key',
  })
  @IsObject()
  spec!: Record<string, unknown>;

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
