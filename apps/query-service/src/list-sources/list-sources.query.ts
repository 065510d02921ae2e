import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { SourceEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { IngestUrls, SourceView, sourceView } from '../shared/source-view';
import { ListSourcesRequest } from './list-sources.request.dto';

/** A tenant's HTTP sources, newest first (the operator's configuration: no portal session; see ReadScope). */
@Injectable()
export class ListSourcesQuery {
  constructor(private readonly runtime: QueryRuntime, private readonly ingestUrls: IngestUrls) {}

  execute(caller: CallerInfo, request: ListSourcesRequest): Promise<Page<SourceView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: SourceEntity, alias: 's', idColumn: 'source_id',
      filter: (qb) => (request.enabled === undefined ? qb : qb.andWhere('s.enabled = :enabled', { enabled: request.enabled })),
      view: (rows) => rows.map((row) => sourceView(row, this.ingestUrls.of(row.source_id))),
    }), 'operator');
  }
}
