import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';

export class PublishEventTypeSchemaRequest {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The next JSON Schema version' })
  @IsObject()
  schema!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Publish even though the schema breaks payloads valid under the current version' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
