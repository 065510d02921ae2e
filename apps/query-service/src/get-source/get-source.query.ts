import { Injectable } from '@nestjs/common';
import { ProblemError } from '@hookline/service-kit';
import { CallerInfo } from '../auth/authenticator';
import { SourceEntity } from '../database/read-model/entities';
import { QueryRuntime } from '../shared/query-runtime';
import { IngestUrls, SourceView, sourceView } from '../shared/source-view';
import { GetSourceRequest } from './get-source.request.dto';

/** One HTTP source of the tenant; another tenant's id is a 404 like a missing (or deleted) one. */
@Injectable()
export class GetSourceQuery {
  constructor(private readonly runtime: QueryRuntime, private readonly ingestUrls: IngestUrls) {}

  async execute(caller: CallerInfo, request: GetSourceRequest): Promise<SourceView> {
    const tenantId = await this.runtime.scope(caller, request, 'operator');
    const row = await this.runtime.models.read((em) => em.getRepository(SourceEntity).findOneBy({ tenant_id: tenantId, source_id: request.source_id }));
    if (!row) throw new ProblemError('not_found', `source ${request.source_id} not found`);
    return sourceView(row, this.ingestUrls.of(row.source_id));
  }
}
