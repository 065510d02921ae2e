import { BROWSER_API_ENV, COMMON_ENV, ConfigOf, int, loadConfig, port, str, url } from '@hookline/config';

/** Every variable the query service reads, with its default; start-up fails with one line naming a bad one. */
export const QUERY_ENV = {
  ...COMMON_ENV,
  ...BROWSER_API_ENV,
  PORT: port({ default: 3001, description: 'REST port' }),
  GRPC_PORT: port({ default: 50052, description: 'gRPC port' }),
  ADMIN_API_KEY: str({ description: 'Bootstrap admin API key secret (compared by its SHA-256 hash; never logged)' }),
  RETENTION_DAYS: int({ default: 30, min: 1, description: 'Default days message payloads and attempts are kept (a tenant may set its own)' }),
  RETENTION_INTERVAL_MS: int({ default: 10 * 60_000, min: 1000, description: 'How often the retention purge runs' }),
  // A transaction costs the projector and Postgres several round trips whatever it holds. At moderate rates a fetch
  // never filled 64 KiB, so it returned every 50 ms; waiting 250 ms cut their CPU per delivery by about 30 % at 150 msg/s
  // in two bench probes each. 100 ms / 256 KiB took part of that. 250 ms / 1 MiB takes the rest: at 600 msg/s the query
  // service's CPU per delivery fell from 0.14–0.19 ms to 0.08–0.11 and its Postgres backends' from 0.12–0.15 to
  // 0.09–0.12 (four bench probes each, alternated), for at most 150 ms more read-model lag (its aim: p99 under 1 s).
  PROJECTOR_BATCH_WAIT_MS: int({
    default: 250,
    min: 1,
    max: 5000,
    description: 'Longest a projector fetch waits for PROJECTOR_BATCH_MIN_BYTES of records: larger transactions under load, that much more read-model lag when quiet',
  }),
  PROJECTOR_BATCH_MIN_BYTES: int({ default: 1_048_576, min: 1, description: 'Records a projector fetch waits for (up to PROJECTOR_BATCH_WAIT_MS) before it returns' }),
  READ_WAIT_MAX_MS: int({ default: 5000, min: 0, max: 60_000, description: 'Longest a query waits for its ?position to be projected' }),
  PROJECTOR_GROUP_ID: str({ default: 'hookline-query-projector', description: 'Kafka consumer group of the live projector' }),
  READY_MAX_LAG: int({ default: 10_000, min: 0, description: 'Consumer lag (records, summed over partitions) above which /readyz fails' }),
  // The projection's work comes in bursts (a fetched batch decoded, its SQL built and sent), and on a machine shared
  // with the command service and the dispatcher each burst took a core just when a 202 or a delivery needed it. At
  // nice 5 it still gets the CPU they leave, which keeps it well inside its lag budget. In bench probes at 1,000 msg/s,
  // four pairs alternated, the end-to-end p99 was 24.7-47.4 ms at nice 5 or 10 against 41.8-76.4 ms at 0. Full bench
  // runs were too noisy to show it at half load (31.8 and 40.1 ms at 0; 37.0 ms at 5, and 44.9 ms in a run whose half
  // load was a quarter higher), and the read-model lag p99 stayed 287-411 ms.
  CPU_NICE: int({
    default: 5,
    min: 0,
    max: 19,
    description: 'Nice value (at least) of every thread of this process: on a shared machine the projection yields CPU to the 202 and delivery paths; 0 leaves the priority as started',
  }),
  DB_POOL_SIZE: int({ default: 10, min: 2, max: 200, description: 'Postgres connections of this process' }),
  // Providers POST a source's webhooks to the command service, not here: a source's ingest_url starts with this, which
  // should be the command service's PUBLIC_URL (its default there too, when that is empty and a request has no origin).
  COMMAND_PUBLIC_URL: url({
    protocols: ['http', 'https'],
    default: 'http://127.0.0.1:3000',
    description: "Where providers reach the command service (https://hooks.example.com): an HTTP source's ingest_url is this + /ingest/<source id>",
  }),
} as const;

export type QueryConfig = ConfigOf<typeof QUERY_ENV>;

/** Reads the query service's configuration from the environment. */
export function loadQueryConfig(env: NodeJS.ProcessEnv = process.env): QueryConfig {
  return loadConfig(QUERY_ENV, env);
}
