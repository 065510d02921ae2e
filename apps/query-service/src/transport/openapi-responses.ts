import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** One field-level problem (RFC 9457 extension member `errors`). */
class FieldProblem {
  @ApiProperty({ description: 'JSON pointer to the parameter, e.g. `/status_code_class`.', example: '/limit' })
  pointer!: string;

  @ApiProperty({ example: 'limit must not be greater than 250' })
  detail!: string;
}

/** What every REST error answers with (ProblemDetailsFilter), as `application/problem+json`. */
class Problem {
  @ApiProperty({ example: 'https://hookline.dev/problems/validation' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ example: 'invalid limit: limit must not be greater than 250' })
  detail!: string;

  @ApiPropertyOptional({ description: 'The request path.' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldProblem] })
  errors?: FieldProblem[];
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

const PROBLEMS = {
  400: { description: 'A parameter is invalid; `errors[].pointer` names it.' },
  401: { description: 'No API key (`Authorization: Bearer <key>`), or not a valid one.' },
  403: {
    description: 'The caller\'s address is outside the key\'s IP allowlist, the route is for admin keys only, or a portal session '
      + 'asks for the operator\'s configuration (HTTP sources).',
  },
  404: { description: 'No such tenant or resource for this key: another tenant\'s ids answer exactly like missing ones.' },
  429: { description: 'The key\'s rate limit is exceeded.', headers: RETRY_AFTER },
  503: { description: '`position` was not reached within READ_WAIT_MAX_MS, or the database is unavailable.', headers: RETRY_AFTER },
} as const;

export type ProblemStatus = keyof typeof PROBLEMS;

/**
 * The RFC 9457 errors a route can answer with, all of them unless named: one description of each status, shared by
 * every route, and one `Problem` schema.
 */
export function ApiProblemResponses(...statuses: ProblemStatus[]) {
  const shown = statuses.length ? statuses : (Object.keys(PROBLEMS).map(Number) as ProblemStatus[]);
  return applyDecorators(
    ApiExtraModels(Problem, FieldProblem),
    ...shown.map((status) => ApiResponse({
      status, ...PROBLEMS[status],
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(Problem) } } },
    })),
  );
}

/** A 200 answering one page of a list, newest first (shared/keyset-list.ts). */
export function ApiPageResponse(items: string) {
  return ApiOkResponse({
    description: `One page of ${items}, newest first.`,
    schema: {
      type: 'object',
      required: ['data', 'next_cursor'],
      properties: {
        data: { type: 'array', items: { type: 'object' }, description: `The ${items}.` },
        next_cursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' },
      },
    },
  });
}
