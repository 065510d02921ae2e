import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { CallerInfo } from '../auth/authenticator';
import { EventTypeEntity, EventTypeSchemaEntity } from '../database/read-model/entities';
import { Page } from '../shared/cursor';
import { keysetPage, listOfTenant } from '../shared/keyset-list';
import { QueryRuntime } from '../shared/query-runtime';
import { iso } from '../shared/views';
import { ListEventTypesRequest } from './list-event-types.request.dto';

function eventTypeView(t: EventTypeEntity, schemas: EventTypeSchemaEntity[]) {
  return { name: t.name, description: t.description, requires_approval: t.requires_approval, deprecated: t.deprecated,
    sunset_at: iso(t.sunset_at), current_version: t.current_version, deleted: t.status === 'deleted',
    schemas: schemas.filter((s) => s.name === t.name).map((s) => ({ version: s.version, schema: s.schema, breaking_changes: s.breaking_changes,
      published_at: iso(s.published_at)! })),
    created_at: iso(t.created_at)!, updated_at: iso(t.updated_at)! };
}
export type EventTypeView = ReturnType<typeof eventTypeView>;

/** The event-type catalog (discovery API): every type with its schema versions, deprecation and sunset. */
@Injectable()
export class ListEventTypesQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  execute(caller: CallerInfo, request: ListEventTypesRequest): Promise<Page<EventTypeView>> {
    return listOfTenant(this.runtime, caller, request, (em, window) => keysetPage(em, window, {
      entity: EventTypeEntity, alias: 't', idColumn: 'name',
      filter: (qb) => {
        if (!request.include_deleted) qb.andWhere(`t.status <> 'deleted'`);
      },
      view: async (rows, read) => {
        const names = rows.map((t) => t.name);
        const schemas = names.length
          ? await read.getRepository(EventTypeSchemaEntity).find({ where: { tenant_id: window.tenantId, name: In(names) }, order: { version: 'ASC' } })
          : [];
        return rows.map((t) => eventTypeView(t, schemas));
      },
    }));
  }
}
