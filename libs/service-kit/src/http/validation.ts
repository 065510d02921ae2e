import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, ProblemError } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const pointer = `${parent}/${e.property}`;
    for (const message of Object.values(e.constraints ?? {})) out.push({ pointer, detail: message });
    if (e.children?.length) out.push(...flatten(e.children, pointer));
  }
  return out;
}

/**
 * class-validator pipe that refuses unknown fields and renders every failure with its JSON pointer, so a client
 * sees all that is wrong with a request in one answer.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ProblemError('validation', 'the request has invalid fields', flatten(errors)),
  });
}
