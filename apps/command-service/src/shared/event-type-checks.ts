import { FieldProblem, ProblemError } from '@hookline/service-kit';
import { SchemaRegistry } from '../infrastructure/schemas/schema-registry';

/** What keeps `schema` from being an event type's JSON Schema, each at `pointer`; empty when it compiles. */
export function schemaProblems(schemas: SchemaRegistry, schema: unknown, pointer: string): FieldProblem[] {
  return schemas.checkSchema(schema).map((detail) => ({ pointer, detail }));
}

/** Refuses (400) a schema that does not compile, as creating an event type and publishing a schema version do. */
export function requireValidSchema(schemas: SchemaRegistry, schema: unknown, pointer = '/schema'): void {
  const problems = schemaProblems(schemas, schema, pointer);
  if (problems.length) throw new ProblemError('validation', 'schema is not a valid JSON Schema', problems);
}
