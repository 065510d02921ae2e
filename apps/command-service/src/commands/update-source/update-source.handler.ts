import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../shared/request-context';
import { SourceAnswer, SourceCommands } from '../../shared/source-commands';
import { UpdateSourceRequest } from './update-source.request.dto';

/** Changes some of a source's settings (a merge patch); a new verification replaces the old one, secret and all. */
@Injectable()
export class UpdateSourceHandler {
  constructor(@Inject(SourceCommands) private readonly sources: SourceCommands) {}

  execute(ctx: RequestContext, tenantId: string, sourceId: string, input: UpdateSourceRequest, origin: string | null): Promise<SourceAnswer> {
    return this.sources.run(ctx, tenantId, sourceId, async (tenant) => ({ type: 'UpdateSource', data: await this.sources.settingsOf(tenant, input) }), origin);
  }
}
