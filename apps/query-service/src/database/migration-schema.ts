import { QueryRunner } from 'typeorm';

/** The schema a migration runs in (the DataSource's `schema` option: `query`, or a generation's `query_g<N>`). */
export function migrationSchema(q: QueryRunner): string {
  const schema = (q.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('query-service migrations need a DataSource with a schema option');
  return schema;
}
