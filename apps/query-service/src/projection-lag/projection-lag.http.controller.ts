import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemError } from '@hookline/service-kit';
import { QueryRuntime } from '../shared/query-runtime';
import { httpCaller } from '../transport/caller';
import { ApiProblemResponses } from '../transport/openapi-responses';
import { ProjectionLag } from '../lag/projection-lag';
import { PROJECTION_LAG } from './projection-lag.token';

@ApiTags('projection')
@ApiBearerAuth()
@ApiProblemResponses(401, 403, 429, 503)
@Controller('v1/projection')
export class ProjectionLagHttpController {
  constructor(private readonly runtime: QueryRuntime, @Inject(PROJECTION_LAG) private readonly lag: ProjectionLag) {}

  /** GET /v1/projection/lag — per-partition lag of the read models (admin keys only: it spans every tenant). */
  @Get('lag')
  @ApiOperation({ summary: 'Get the read models\' projection lag', description: 'Per partition and in total. Admin keys only.' })
  @ApiOkResponse({
    description: 'Records not yet applied to the read models, per topic partition.',
    schema: {
      type: 'object',
      required: ['total', 'partitions'],
      properties: {
        total: { type: 'integer' },
        partitions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              topic: { type: 'string' }, partition: { type: 'integer' },
              projected: { type: 'string', description: 'Last offset applied to the read models (\'-1\': none).' },
              high: { type: 'string', description: 'Offset of the next record Kafka will write.' },
              lag: { type: 'integer' },
            },
          },
        },
      },
    },
  })
  async get(@Req() req: Request) {
    const principal = await this.runtime.auth.authenticate(httpCaller(req));
    if (principal.kind !== 'admin') throw new ProblemError('forbidden', 'projection lag is visible to admin keys only');
    const partitions = await this.lag.measure();
    return { total: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
  }
}
