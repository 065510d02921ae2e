import { isDeepStrictEqual } from 'node:util';
import { DomainErrorCode, EventTypeCommand, EventTypeState, currentSchema, decideEventType, evolveEventType, fold, initialEventTypeState } from '@hookline/domain';
import { FieldProblem, problemFromDomain } from '@hookline/service-kit';
import { WebhookEntry, pointedAt } from './openapi-webhooks';

export interface ImportOptions {
  /** Change types that exist: a new schema version where the schema differs, and the description. */
  updateExisting: boolean;
  /** Publish a schema version even where it breaks payloads valid under the current one (as publish's `force`). */
  force: boolean;
}

/** Why a webhook changes nothing: the type exists (and update_existing is off), is deprecated, or already matches. */
export type SkipReason = 'already_exists' | 'deprecated' | 'unchanged';

export interface ImportedType {
  name: string;
  /** The type's current schema version once imported; null when its payloads are not validated. */
  schema_version: number | null;
}

export interface UpdatedType extends ImportedType {
  changed: Array<'schema' | 'description'>;
}

export interface ImportPlan {
  /** The commands to carry out, in order, each for the event type it names. */
  commands: Array<{ name: string; command: EventTypeCommand }>;
  created: ImportedType[];
  updated: UpdatedType[];
  skipped: Array<{ name: string; reason: SkipReason }>;
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; code: DomainErrorCode; problems: FieldProblem[] };

/**
 * Decides what importing `entries` does to a tenant's event types (`current`, by name), through the event-type decider
 * as each command would be decided on its own: a new or deleted type is created; an existing one is left alone unless
 * `updateExisting`, then gets a new schema version where the schema differs (held to the compatibility rule unless
 * `force`) and the description where a non-empty one differs. A webhook without a schema never removes one. A
 * deprecated type is not changed: it is on its way out, and an import should not bring it back unnoticed. Every refusal
 * is collected, so all the document's conflicts are named at once.
 */
export function planImport(entries: readonly WebhookEntry[], current: ReadonlyMap<string, EventTypeState>, options: ImportOptions): PlanResult {
  const plan: ImportPlan = { commands: [], created: [], updated: [], skipped: [] };
  const refusals: Array<{ code: DomainErrorCode; problems: FieldProblem[] }> = [];
  for (const entry of entries) {
    const state = current.get(entry.name);
    const exists = state?.status === 'active';
    const commands = exists ? updatesOf(entry, state, options, plan) : [createOf(entry)];
    if (!commands.length) continue;
    const decided = decideAll(state ?? null, commands);
    if (!decided.ok) {
      refusals.push({ code: decided.code, problems: decided.problems.map((p) => pointedAt(p, entry)) });
      continue;
    }
    plan.commands.push(...commands.map((command) => ({ name: entry.name, command })));
    const schemaVersion = currentSchema(decided.state)?.version ?? null;
    if (exists) plan.updated.push({ name: entry.name, schema_version: schemaVersion, changed: commands.map((c) => (c.type === 'PublishSchema' ? 'schema' : 'description')) });
    else plan.created.push({ name: entry.name, schema_version: schemaVersion });
  }
  if (refusals.length) return { ok: false, code: refusals[0].code, problems: refusals.flatMap((r) => r.problems) };
  return { ok: true, plan };
}

function createOf(entry: WebhookEntry): EventTypeCommand {
  const schema = entry.schema as Record<string, unknown> | null;
  return { type: 'CreateEventType', data: { name: entry.name, description: entry.description, schema, requires_approval: false } };
}

function updatesOf(entry: WebhookEntry, state: EventTypeState, options: ImportOptions, plan: ImportPlan): EventTypeCommand[] {
  if (!options.updateExisting) return skip(plan, entry, 'already_exists');
  if (state.deprecated) return skip(plan, entry, 'deprecated');
  const commands: EventTypeCommand[] = [];
  const schema = entry.schema as Record<string, unknown> | null;
  if (schema !== null && !isDeepStrictEqual(currentSchema(state)?.schema ?? null, schema)) commands.push({ type: 'PublishSchema', data: { schema, force: options.force } });
  if (entry.description !== '' && entry.description !== state.description) commands.push({ type: 'UpdateEventType', data: { description: entry.description } });
  return commands.length ? commands : skip(plan, entry, 'unchanged');
}

function skip(plan: ImportPlan, entry: WebhookEntry, reason: SkipReason): EventTypeCommand[] {
  plan.skipped.push({ name: entry.name, reason });
  return [];
}

/** The type's state after `commands`, each decided on the state the previous one left, or the first refusal. */
function decideAll(state: EventTypeState | null, commands: EventTypeCommand[]): { ok: true; state: EventTypeState } | { ok: false; code: DomainErrorCode; problems: FieldProblem[] } {
  let next = state ?? initialEventTypeState();
  for (const command of commands) {
    const decision = decideEventType(command, next);
    if (!decision.ok) return { ok: false, code: decision.error.code, problems: problemFromDomain(decision.error).errors };
    next = fold(evolveEventType, next, decision.events);
  }
  return { ok: true, state: next };
}
