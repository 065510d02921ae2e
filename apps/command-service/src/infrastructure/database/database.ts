import { openDatabase } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { WriteModel1732780800000 } from './migrations/1732780800000-write-model';
import { CommandIdempotency1764700000000 } from './migrations/1764700000000-command-idempotency';
import { MessagesByTenantTime1765000000000 } from './migrations/1765000000000-messages-by-tenant-time';
import { MessageContentExpunge1765100000000 } from './migrations/1765100000000-message-content-expunge';
import { PortalSessionExpiry1765200000000 } from './migrations/1765200000000-portal-session-expiry';
import { SourceById1765300000000 } from './migrations/1765300000000-source-by-id';

/** Postgres schema owned by the command service. */
export const COMMAND_SCHEMA = 'command';

/** Opens the write-model database and applies migrations. */
export function openCommandDatabase(url: string): Promise<DataSource> {
  return openDatabase({
    url,
    schema: COMMAND_SCHEMA,
    entities: [],
    migrations: [WriteModel1732780800000, CommandIdempotency1764700000000, MessagesByTenantTime1765000000000, MessageContentExpunge1765100000000,
      PortalSessionExpiry1765200000000, SourceById1765300000000],
    poolSize: 20,
    applicationName: 'hookline-command-service',
  });
}
