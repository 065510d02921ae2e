import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FieldProblem, ProblemError } from '@hookline/service-kit';
import type { Request } from 'express';
import { jsonStorageProblem } from './json-limits';

/**
 * Refuses what no handler can store before any of them runs (both transports): NUL characters and absurd nesting
 * in path parameters, bodies and gRPC requests. Without it they reached Postgres or a recursive validator and
 * answered 500 (or, in a message payload, stopped the message index). A guard rather than an interceptor: it runs
 * before the validation pipe, and costs no rxjs pipeline on every request. Registered after authentication.
 */
@Injectable()
export class InputLimitsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const problem = context.getType() === 'http' ? httpProblem(context.switchToHttp().getRequest<Request>()) : jsonStorageProblem(context.switchToRpc().getData());
    if (problem) throw new ProblemError('validation', `the request contains a value that can't be accepted: ${problem.pointer || '/'} ${problem.detail}`, [problem]);
    return true;
  }
}

function httpProblem(req: Request): FieldProblem | null {
  for (const [name, value] of Object.entries(req.params ?? {})) {
    if (value.includes('\u0000')) return { pointer: `path:${name}`, detail: 'must not contain NUL (%00) characters' };
  }
  // A raw body (POST /ingest) is bytes, checked once its route has parsed it.
  return Buffer.isBuffer(req.body) ? null : jsonStorageProblem(req.body);
}
