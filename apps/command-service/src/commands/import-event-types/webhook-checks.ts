import { decideEventType, initialEventTypeState } from '@hookline/domain';
import { FieldProblem, ProblemError, problemFromDomain, validateDto } from '@hookline/service-kit';
import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { schemaProblems } from '../../shared/event-type-checks';
import { jsonStorageProblem } from '../../shared/json-limits';
import { CreateEventTypeRequest } from '../create-event-type/create-event-type.request.dto';
import { WebhookEntry, pointedAt } from './openapi-webhooks';

/**
 * What POST /event-types would refuse in the event type a webhook becomes: its request's field rules (name and
 * description lengths), the name rule of the event-type decider, a schema that does not compile or nests too deep.
 * Each problem points at the part of the document it came from.
 */
export async function webhookProblems(entry: WebhookEntry, schemas: SchemaRegistry): Promise<FieldProblem[]> {
  const { pointers } = entry;
  const at = (problem: FieldProblem) => pointedAt(problem, entry);
  const problems: FieldProblem[] = [];
  try {
    await validateDto(CreateEventTypeRequest, { name: entry.name, description: entry.description, ...(entry.schema === null ? {} : { schema: entry.schema }) });
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    problems.push(...err.errors.map(at));
  }
  const created = decideEventType(
    { type: 'CreateEventType', data: { name: entry.name, description: entry.description, schema: null, requires_approval: false } },
    initialEventTypeState(),
  );
  if (!created.ok) problems.push(...problemFromDomain(created.error).errors.map(at));
  if (entry.schema !== null && !problems.some((p) => p.pointer === pointers.schema)) {
    const stored = jsonStorageProblem(entry.schema, pointers.schema);
    problems.push(...(stored ? [stored] : schemaProblems(schemas, entry.schema, pointers.schema)));
  }
  return problems;
}
