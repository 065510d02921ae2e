import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): its JSON Schema must be kept exactly, keys named like `constructor` included. */
@ShallowDto()
export class PublishEventTypeSchemaRequest {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The next JSON Schema version' })
  @IsObject()
  schema!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Publish even though the schema breaks payloads valid under the current version' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
