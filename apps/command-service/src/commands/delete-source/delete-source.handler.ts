import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../shared/request-context';
import { SourceAnswer, SourceCommands } from '../../shared/source-commands';

/** Deletes a source: its ingest URL answers 404 from then on, as for an id that never existed. */
@Injectable()
export class DeleteSourceHandler {
  constructor(@Inject(SourceCommands) private readonly sources: SourceCommands) {}

  execute(ctx: RequestContext, tenantId: string, sourceId: string): Promise<SourceAnswer> {
    return this.sources.run(ctx, tenantId, sourceId, { type: 'DeleteSource' }, null);
  }
}
