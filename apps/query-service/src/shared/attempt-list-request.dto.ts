import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ATTEMPT_ERROR_CLASSES, ATTEMPT_TRIGGERS, AttemptErrorClass, AttemptTrigger } from '@hookline/contracts';
import { ListRequest, StorableText } from './list-request.dto';

export const ATTEMPT_OUTCOMES = ['succeeded', 'failed'] as const;
/** `none`: no HTTP answer at all (a timeout, a refused connection or address, a token endpoint that gave no token). */
export const STATUS_CODE_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'none'] as const;

const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of ${values.join(', ')}` });

/**
 * What the attempt lists (of a message, of an endpoint) filter on besides the time range: the questions asked when
 * something went wrong ("every 5xx from this endpoint since the deploy", "the timeouts", "what a recover sent").
 */
export class AttemptListRequest extends ListRequest {
  @ApiPropertyOptional({ description: 'Attempts that succeeded, or that failed.', enum: [...ATTEMPT_OUTCOMES], enumName: 'AttemptOutcome' })
  @IsOptional() @IsIn(ATTEMPT_OUTCOMES, oneOf('outcome', ATTEMPT_OUTCOMES))
  outcome?: (typeof ATTEMPT_OUTCOMES)[number];

  @ApiPropertyOptional({
    description: 'Attempts answered with an HTTP status of this class; `none`: attempts that got no HTTP answer (a timeout, '
      + 'a refused address, a token endpoint that gave no token).',
    enum: [...STATUS_CODE_CLASSES], enumName: 'StatusCodeClass',
  })
  @IsOptional() @IsIn(STATUS_CODE_CLASSES, oneOf('status_code_class', STATUS_CODE_CLASSES))
  status_code_class?: (typeof STATUS_CODE_CLASSES)[number];

  @ApiPropertyOptional({ description: 'Failed attempts of this error class.', enum: [...ATTEMPT_ERROR_CLASSES], enumName: 'AttemptErrorClass' })
  @IsOptional() @IsIn(ATTEMPT_ERROR_CLASSES, oneOf('error_class', ATTEMPT_ERROR_CLASSES))
  error_class?: AttemptErrorClass;

  @ApiPropertyOptional({ description: 'Why the attempt was made: first try, scheduled retry, manual resend or recovery.', enum: [...ATTEMPT_TRIGGERS], enumName: 'AttemptTrigger' })
  @IsOptional() @IsIn(ATTEMPT_TRIGGERS, oneOf('trigger', ATTEMPT_TRIGGERS))
  trigger?: AttemptTrigger;

  @ApiPropertyOptional({ description: 'Attempts of messages of this event type, e.g. `invoice.paid`.', maxLength: 256 })
  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;
}
