import type { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';

/**
 * Gives every pooled Postgres client a permanent 'error' listener, so a dropped connection fails only the query that
 * used it and never the whole process. Without one there is a window: when the pool hands out a client it has just
 * connected, it stops listening to it at once, while TypeORM starts listening only a promise later; if the server's
 * "terminating connection" (failover, restart, pg_terminate_backend) arrives in the same packet as the end of the
 * connection's start-up, node-postgres emits 'error' with no listener, which throws and ends the process. (Seen in the
 * dispatcher with its connections killed under load.)
 */
export function guardPoolClients(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: EventEmitter & { _clients?: EventEmitter[] } }).master;
  const ignore = () => undefined;
  pool?.on('connect', (client: EventEmitter) => client.on('error', ignore));
  // Clients opened during initialize() (TypeORM's version check) predate the 'connect' listener.
  for (const client of pool?._clients ?? []) client.on('error', ignore);
}
