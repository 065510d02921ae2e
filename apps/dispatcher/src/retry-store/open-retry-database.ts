import { openDatabase } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { CreateRetryStore1732800000000 } from './migrations/1732800000000-create-retry-store';
import { DeadRowsByAge1764300000000 } from './migrations/1764300000000-dead-rows-by-age';
import { CertificateWarnings1764500000000 } from './migrations/1764500000000-certificate-warnings';
import { EndpointSendSlots1764600000000 } from './migrations/1764600000000-endpoint-send-slots';
import { EndpointInFlightShares1764800000000 } from './migrations/1764800000000-endpoint-in-flight-shares';
import { EndpointBreakers1764900000000 } from './migrations/1764900000000-endpoint-breakers';
import { SeriesRestarts1765000000000 } from './migrations/1765000000000-series-restarts';
import { ExpungedMessages1765100000000 } from './migrations/1765100000000-expunged-messages';

/** Connects to Postgres and brings the "dispatcher" schema up to date. */
export function openRetryDatabase(url: string, poolSize = 10): Promise<DataSource> {
  return openDatabase({
    url,
    schema: 'dispatcher',
    entities: [],
    migrations: [CreateRetryStore1732800000000, DeadRowsByAge1764300000000, CertificateWarnings1764500000000, EndpointSendSlots1764600000000,
      EndpointInFlightShares1764800000000, EndpointBreakers1764900000000, SeriesRestarts1765000000000,
      ExpungedMessages1765100000000],
    poolSize,
    applicationName: 'hookline-dispatcher',
  });
}
