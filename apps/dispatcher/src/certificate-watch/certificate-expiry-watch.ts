import type { Logger } from '@hookline/observability';
import { DataSource } from 'typeorm';
import { CertificateWarning, CertifiedEndpoint, certificateWarningsDue } from '../domain/certificate-expiry';
import { PeriodicJob } from '@hookline/service-kit';

export interface CertificateExpiryWatchOptions {
  db: DataSource;
  /** Every live endpoint that has a client certificate, as the config view knows it now. */
  endpoints: () => Iterable<CertifiedEndpoint>;
  /** Appends the operational event; a rejection leaves the warning to the next pass. */
  publish: (warning: CertificateWarning) => Promise<unknown>;
  warnDays: number;
  intervalMs: number;
  log: Logger;
}

/**
 * Raises endpoint.client_certificate_expiring.v1 when an endpoint's client certificate enters the warning period and
 * again when it has expired, so the customer renews it before their endpoint starts refusing every handshake. Each
 * warning is raised once per endpoint, certificate and stage: its row in dispatcher.certificate_warnings is inserted in
 * the same transaction that waits for the event's append, so an append that fails is tried again on the next pass, and
 * a second dispatcher instance waits on the row lock and then finds the warning raised.
 */
export class CertificateExpiryWatch {
  private readonly job: PeriodicJob<number>;

  constructor(private readonly options: CertificateExpiryWatchOptions) {
    this.job = new PeriodicJob((now) => this.check(now), options.intervalMs);
  }

  /** Checks at once (a certificate may have crossed a threshold while no dispatcher ran), then every interval. */
  start(): void {
    if (this.options.warnDays > 0) this.job.start(true);
  }

  /** One pass (joined while one runs); resolves with the warnings raised. */
  checkOnce(now = new Date()): Promise<number> {
    return this.job.runOnce(now);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async check(now: Date): Promise<number> {
    let raised = 0;
    for (const warning of certificateWarningsDue(this.options.endpoints(), now, this.options.warnDays)) {
      try {
        if (await this.raise(warning)) raised += 1;
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message, endpoint_id: warning.endpointId }, 'certificate warning not raised; will try again');
      }
    }
    return raised;
  }

  private raise(warning: CertificateWarning): Promise<boolean> {
    return this.options.db.transaction(async (em) => {
      const inserted: unknown[] = await em.query(
        `INSERT INTO dispatcher.certificate_warnings (endpoint_id, fingerprint_sha256, stage) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [warning.endpointId, warning.certificate.fingerprint_sha256, warning.stage]);
      if (!inserted.length) return false;
      await this.options.publish(warning);
      this.options.log.warn({ endpoint_id: warning.endpointId, stage: warning.stage, not_after: warning.certificate.not_after },
        warning.stage === 'expired' ? 'an endpoint\'s client certificate has expired' : 'an endpoint\'s client certificate expires soon');
      return true;
    });
  }
}
