import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ProblemError, fieldProblems } from '@hookline/service-kit';

/**
 * Validates a plain request (gRPC message, or anything not coming through Nest's pipe) with the same DTO and rules
 * the REST pipe uses, so both transports refuse the same input with the same field-level problems.
 */
export function parseRequest<T extends object>(dto: new () => T, plain: Record<string, unknown>): T {
  // `_name` keys are the synthetic oneofs proto-loader adds for proto3 `optional` fields (oneofs: true): not input.
  const cleaned = Object.fromEntries(Object.entries(plain).filter(([k, v]) => v !== undefined && v !== null && v !== '' && !k.startsWith('_')));
  const instance = plainToInstance(dto, cleaned);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) {
    const problems = fieldProblems(errors);
    throw new ProblemError('validation', `invalid ${problems.map((p) => p.pointer.slice(1)).join(', ')}: ${problems[0].detail}`, problems);
  }
  return instance;
}
