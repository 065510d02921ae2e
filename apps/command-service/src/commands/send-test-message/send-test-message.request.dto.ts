import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): the payload is checked by its event type's JSON Schema and must reach the endpoint unchanged. */
@ShallowDto()
export class SendTestMessageRequest {
  @ApiProperty({ example: 'invoice.paid', description: 'An event type the endpoint receives' })
  @IsString()
  @Length(1, 128)
  event_type!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The payload; left out: an example made from the event type's current schema" })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}
