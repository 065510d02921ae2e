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
  @IsOptional() @IsIn(ATTEMPT_OUTCOMES, oneOf('outcome', ATTEMPT_OUTCOMES))
  outcome?: (typeof ATTEMPT_OUTCOMES)[number];

  @IsOptional() @IsIn(STATUS_CODE_CLASSES, oneOf('status_code_class', STATUS_CODE_CLASSES))
  status_code_class?: (typeof STATUS_CODE_CLASSES)[number];

  @IsOptional() @IsIn(ATTEMPT_ERROR_CLASSES, oneOf('error_class', ATTEMPT_ERROR_CLASSES))
  error_class?: AttemptErrorClass;

  @IsOptional() @IsIn(ATTEMPT_TRIGGERS, oneOf('trigger', ATTEMPT_TRIGGERS))
  trigger?: AttemptTrigger;

  @IsOptional() @IsString() @MaxLength(256) @StorableText()
  event_type?: string;
}
