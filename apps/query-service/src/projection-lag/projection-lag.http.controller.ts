import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemError } from '@hookline/service-kit';
import { QueryRuntime } from '../shared/query-runtime';
import { httpCaller } from '../transport/caller';
import { ProjectionLag } from '../lag/projection-lag';
import { PROJECTION_LAG } from './projection-lag.token';

@Controller('v1/projection')
export class ProjectionLagHttpController {
  constructor(private readonly runtime: QueryRuntime, @Inject(PROJECTION_LAG) private readonly lag: ProjectionLag) {}

  /** GET /v1/projection/lag — per-partition lag of the read models (admin keys only: it spans every tenant). */
  @Get('lag')
  async get(@Req() req: Request) {
    const principal = await this.runtime.auth.authenticate(httpCaller(req));
    if (principal.kind !== 'admin') throw new ProblemError('forbidden', 'projection lag is visible to admin keys only');
    const partitions = await this.lag.measure();
    return { total: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
  }
}
