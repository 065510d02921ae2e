/**
 * @hookline/service-kit — what every Hookline service shares: Postgres schema + migrations, RFC 9457 problem
 * documents and their gRPC status mapping, health endpoints, and process lifecycle.
 */
export { openDatabase, ensureDatabase, dataSourceOptions, databaseName } from './database/database';
export { isDatabaseUnavailable } from './database/database-unavailable';
export { guardPoolClients } from './database/guard-pool-clients';
export type { DatabaseOptions } from './database/database';
export { multiRowValues, chunkRows } from './database/multi-row';
/** One INSERT … SELECT for a batch of rows of any size, sent as one JSON array per column: constant statement text, typed by its head. */
export { columnRowsInsert } from './database/column-rows';
/** Text Postgres cannot hold (NUL, lone surrogates): refused as input, or replaced by U+FFFD where it must be kept. */
export { unstorableText } from './database/storable-text';
export { ProblemError, httpStatusOf, grpcStatusOf, problemFromDomain, toProblemDocument } from './http/problem';
export type { ProblemDocument, FieldProblem, ProblemKind } from './http/problem';
export { ProblemDetailsFilter, toProblemError } from './http/problem-details.filter';
/** Request validation by class-validator DTOs for REST (the pipe) and other adapters (validateDto); see ShallowDto for payloads. */
export { createValidationPipe, validateDto, ShallowDto, fieldProblems } from './http/validation';
/** Nest's Express adapter with Express's request/response prototypes preset, so young-generation GCs free each request. */
export { StablePrototypeExpressAdapter } from './http/stable-prototype-express-adapter';
/** CORS for the REST APIs: bearer-token calls from browser pages (the consumer portal) on the origins allowed. */
export { corsOptions } from './http/cors';
export { HealthModule } from './health/health.module';
export type { ReadinessCheck, HealthOptions } from './health/health.module';
export { onShutdownSignal, failStartup, waitUntil } from './lifecycle/shutdown';
export { lowerCpuPriority } from './lifecycle/cpu-priority';
export { PeriodicJob } from './lifecycle/periodic-job';
/**
 * A TTL read-through cache whose misses on one key share one load (no query per request in flight when an entry
 * expires); a delete also forgets a running load, so nothing read before it is served after it.
 */
export { SingleFlightCache } from './cache/single-flight-cache';
export type { SingleFlightCacheOptions } from './cache/single-flight-cache';
