import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ProblemDetailsFilter, ProblemError, grpcStatusOf, toProblemError } from '@hookline/service-kit';
import { Metadata } from '@grpc/grpc-js';
import { throwError } from 'rxjs';

/**
 * One filter for both transports: REST errors become RFC 9457 documents, gRPC errors the matching status code
 * with the same message and the field problems in `hookline-errors-bin`-free text metadata.
 */
@Catch()
export class AllTransportsProblemFilter implements ExceptionFilter {
  private readonly http: ProblemDetailsFilter;

  constructor(private readonly onInternal: (err: unknown) => void) {
    this.http = new ProblemDetailsFilter((err) => onInternal(err));
  }

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') {
      const problem: ProblemError = toProblemError(exception);
      if (problem.kind === 'internal') this.onInternal(exception);
      const metadata = new Metadata();
      if (problem.errors.length) metadata.set('problem-errors', JSON.stringify(problem.errors));
      for (const [k, v] of Object.entries(problem.headers)) metadata.set(k, v);
      const fields = problem.errors.map((e) => `${e.pointer}: ${e.detail}`).join('; ');
      return throwError(() => ({ code: grpcStatusOf(problem.kind), message: fields ? `${problem.message} (${fields})` : problem.message, metadata }));
    }
    return this.http.catch(exception, host);
  }
}
