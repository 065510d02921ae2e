import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { CallerInfo } from '../auth/authenticator';
import { EventTypeEntity, EventTypeSchemaEntity } from '../database/read-model/entities';
import { Page, decodeCursor, toPage } from '../shared/cursor';
import { DEFAULT_LIMIT } from '../shared/list-request.dto';
import { QueryRuntime } from '../shared/query-runtime';
import { checkTimeRange } from '../shared/time-range';
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

  async execute(caller: CallerInfo, request: ListEventTypesRequest): Promise<Page<EventTypeView>> {
    checkTimeRange(request.since, request.until);
    const cursor = decodeCursor(request.cursor);
    const limit = request.limit ?? DEFAULT_LIMIT;
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      const qb = em.getRepository(EventTypeEntity).createQueryBuilder('t').where('t.tenant_id = :tenantId', { tenantId });
      if (!request.include_deleted) qb.andWhere(`t.status <> 'deleted'`);
      if (request.since) qb.andWhere('t.created_at >= :since', { since: request.since });
      if (request.until) qb.andWhere('t.created_at < :until', { until: request.until });
      if (cursor) qb.andWhere('(t.created_at, t.name) < (:at, :id)', { at: cursor.at, id: cursor.id });
      const rows = await qb.orderBy('t.created_at', 'DESC').addOrderBy('t.name', 'DESC').limit(limit + 1).getMany();
      const names = rows.slice(0, limit).map((t) => t.name);
      const schemas = names.length
        ? await em.getRepository(EventTypeSchemaEntity).find({ where: { tenant_id: tenantId, name: In(names) }, order: { version: 'ASC' } })
        : [];
      return toPage(rows, limit, (t) => ({ at: t.created_at, id: t.name }), (t) => eventTypeView(t, schemas));
    });
  }
}
