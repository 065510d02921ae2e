import { Client } from 'pg';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { guardPoolClients } from './guard-pool-clients';

export interface DatabaseOptions {
  url: string;
  /** Each service owns one Postgres schema; its tables and migration history live there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

/** Parses the database name out of a Postgres URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/**
 * Creates the database named in `url` when it does not exist yet (a fresh machine has only `postgres`),
 * connecting to the maintenance database of the same server.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        // Created concurrently by another service: Postgres reports the loser of that race either as duplicate_database
        // (42P04) or, when both passed its own existence check, as a unique violation on pg_database's name index.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/** TypeORM options for a service: its own schema, migrations only (never synchronize). */
export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? 10,
      application_name: opts.applicationName ?? opts.schema,
      connectionTimeoutMillis: 5000,
      // Unqualified table names in raw SQL and migrations resolve to the service's own schema.
      options: `-c search_path=${opts.schema},public`,
    },
  };
}

/**
 * Connects and brings the schema up to date: creates the database and schema if needed, then runs pending
 * migrations. Several instances starting together are serialised by an advisory lock.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(opts.url);
  const ds = new DataSource(dataSourceOptions(opts));
  await ds.initialize();
  guardPoolClients(ds);
  try {
    await ds.query(`SELECT pg_advisory_lock(hashtext($1))`, [`hookline-migrate-${opts.schema}`]);
    try {
      await ds.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`hookline-migrate-${opts.schema}`]);
    }
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}
