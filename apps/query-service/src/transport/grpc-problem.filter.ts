import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { Metadata, status } from '@grpc/grpc-js';
import { grpcStatusOf, toProblemError } from '@hookline/service-kit';

/**
 * Every gRPC error leaves as a proper status code (grpcStatusOf, the same table as the HTTP statuses), with the
 * field-level problems as JSON in `problem-errors-bin` metadata so clients can show which filter was wrong.
 */
@Catch()
export class GrpcProblemFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const problem = toProblemError(exception);
    // Internal errors keep their cause out of the status message; it is logged by the caller's span and Nest's logger.
    const metadata = new Metadata();
    // Binary metadata (`-bin`): ASCII-only text metadata would refuse the field details' wording.
    if (problem.errors.length) metadata.set('problem-errors-bin', Buffer.from(JSON.stringify(problem.errors), 'utf8'));
    const code = grpcStatusOf(problem.kind);
    return throwError(() => ({ code, message: code === status.INTERNAL ? 'internal error' : problem.message, metadata }));
  }
}
