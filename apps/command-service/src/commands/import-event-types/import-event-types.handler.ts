import { Inject, Injectable } from '@nestjs/common';
import { EventTypeState, currentSchema } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../../auth/auth-context';
import { EVENT_TYPE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { RequestContext, commandMeta } from '../../shared/request-context';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { ImportPlan, planImport } from './import-plan';
import { ImportEventTypesRequest } from './import-event-types.request.dto';
import { openApiDocumentOf } from './openapi-text';
import { webhooksOf } from './openapi-webhooks';
import { webhookProblems } from './webhook-checks';

export interface ImportConfig {
  OPENAPI_IMPORT_MAX_WEBHOOKS: number;
  /** An imported schema may be as large as a payload, as one sent to POST /event-types in practice is. */
  MAX_PAYLOAD_BYTES: number;
}

/** What an import did (or, for a dry run, would do). */
export type ImportReport = Omit<ImportPlan, 'commands'> & { dry_run: boolean; position: string | null };

/**
 * Creates a tenant's event types from the webhooks of an OpenAPI document (as Svix's import), all or nothing: every
 * webhook is checked first and every problem answered at once (400); then the events of every created or changed type
 * commit in one transaction, to reach the config topic in one go.
 */
@Injectable()
export class ImportEventTypesHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(COMMAND_CONFIG) private readonly config: ImportConfig,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, input: ImportEventTypesRequest): Promise<ImportReport> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    const { entries, problems } = webhooksOf(openApiDocumentOf(input.spec, '/spec'), { maxWebhooks: this.config.OPENAPI_IMPORT_MAX_WEBHOOKS, maxSchemaBytes: this.config.MAX_PAYLOAD_BYTES });
    for (const entry of entries) problems.push(...(await webhookProblems(entry, this.schemas)));
    if (problems.length) {
      throw new ProblemError('validation', `the OpenAPI document can't be imported: ${problems.length} problem${problems.length === 1 ? '' : 's'} (nothing was imported)`, problems);
    }
    const current = new Map((await this.store.ofTenant(EVENT_TYPE, tenantId)).map((s) => [s.name, s]));
    const planned = planImport(entries, current, { updateExisting: input.update_existing ?? false, force: input.force ?? false });
    if (!planned.ok) {
      throw new ProblemError(planned.code, `the OpenAPI document can't be imported over the tenant's event types (nothing was imported)`, planned.problems);
    }
    const { commands, ...report } = planned.plan;
    const dryRun = input.dry_run ?? false;
    if (dryRun) return { ...report, dry_run: true, position: null };

    // Through the store even when nothing changes: a retry with an Idempotency-Key gets the first answer, not "skipped".
    // An If-Match names one resource's version; an import changes many, each decided on its current state.
    const meta = { ...commandMeta(ctx), expectedVersion: undefined };
    try {
      return await this.store.respondAll(EVENT_TYPE, tenantId, commands.map((c) => ({ aggregateId: c.name, command: c.command })), meta, (decided) => {
        const committed = new Map<string, EventTypeState>(decided.map((d) => [d.state.name, d.state]));
        const versionOf = (name: string) => {
          const state = committed.get(name);
          return state ? (currentSchema(state)?.version ?? null) : null;
        };
        return {
          created: report.created.map((t) => ({ ...t, schema_version: versionOf(t.name) })),
          updated: report.updated.map((t) => ({ ...t, schema_version: versionOf(t.name) })),
          skipped: report.skipped,
          dry_run: false,
        };
      });
    } finally {
      for (const { name } of commands) this.catalog.invalidate(EVENT_TYPE.kind, tenantId, name);
    }
  }
}
