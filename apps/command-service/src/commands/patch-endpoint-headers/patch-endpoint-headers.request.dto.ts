import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { ShallowDto } from '@hookline/service-kit';

/** Validated as sent (see ShallowDto): header names are kept exactly. */
@ShallowDto()
export class PatchEndpointHeadersRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    description: 'Headers to set (a string) or remove (null); the endpoint keeps every header not named here. Names match whatever their case.',
    example: { 'X-Team': 'payments', 'X-Old-Token': null },
  })
  @IsObject()
  headers!: Record<string, string | null>;
}
