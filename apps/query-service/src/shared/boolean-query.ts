import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * An optional true/false query parameter. Query strings carry text, so "true" and "false" become booleans here and
 * anything else stays as given, for IsBoolean to refuse with the parameter's name (over gRPC the value is a bool).
 */
export function BooleanQuery(name: string): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: `${name} must be true or false` }),
  );
}
