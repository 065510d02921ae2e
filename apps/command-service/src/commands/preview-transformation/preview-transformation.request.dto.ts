import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ShallowDto } from '@hookline/service-kit';
import { TRANSFORMATION_MAX_LENGTH } from '@hookline/transform';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ENDPOINT_ID_PATTERN, MessageContentDto } from '../../shared/message-content.dto';

/**
 * A sample message (by publish's rules, though its event type need not exist yet) and the expression to try on it.
 * Validated as sent (see ShallowDto): the payload is evaluated exactly as a published message's would be.
 */
@ShallowDto()
export class PreviewTransformationRequest extends MessageContentDto {
  // Parsed in the handler, where transformationProblem also holds the length limit (as on endpoints).
  @ApiProperty({
    type: 'string', maxLength: TRANSFORMATION_MAX_LENGTH,
    description: 'The JSONata expression to try, as it would be set as an endpoint\'s `transformation`',
    example: '{ "text": "Invoice " & data.invoice_id & " paid", "id": $message_id }',
  })
  @IsString()
  transformation!: string;

  @ApiPropertyOptional({ description: 'Given to the expression as `$endpoint_id` (not looked up); default null' })
  @IsOptional()
  @Matches(ENDPOINT_ID_PATTERN, { message: 'endpoint_id is an endpoint id (ep_…)' })
  endpoint_id?: string;
}
