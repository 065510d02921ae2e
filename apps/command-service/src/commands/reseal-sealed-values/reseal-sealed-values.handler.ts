import { Inject, Injectable } from '@nestjs/common';
import { EndpointResealedV1, LogPosition, SecretId, encodePosition } from '@hookline/contracts';
import { EndpointState, activeSecrets } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireAdmin } from '../../auth/auth-context';
import { ENDPOINT } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateRef, AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { RequestContext, commandMeta } from '../../shared/request-context';

type ResealedValues = Omit<EndpointResealedV1['data'], 'endpoint_id'>;

export interface ResealReport {
  endpoints_checked: number;
  endpoints_resealed: number;
  /** Endpoints holding a value no configured key opens: they cannot be signed for until it is replaced. */
  unopenable: Array<{ tenant_id: string; endpoint_id: string }>;
  /** Where the endpoint.resealed.v1 events landed (the last one per partition), for read-your-writes; null when none was needed. */
  position: string | null;
}

// An endpoint changed by its tenant between our read and our write (a rotation, a new client secret) is read again.
const ATTEMPTS_PER_ENDPOINT = 3;

/**
 * After SECRETS_ENCRYPTION_KEY was rotated: every value an endpoint still uses that a previous key sealed (signing
 * secrets not yet expired, the OAuth 2.0 client secret or the Kafka SASL password, the client certificate's key) is
 * sealed again under the current key, one endpoint.resealed.v1 per endpoint. Receivers see no change; afterwards no
 * endpoint needs the previous key. Running it again reseals only what is still under an old key, so a retry is safe
 * with or without an Idempotency-Key.
 */
@Injectable()
export class ResealSealedValuesHandler {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
  ) {}

  async execute(ctx: RequestContext): Promise<ResealReport> {
    requireAdmin(ctx.auth);
    const report: ResealReport = { endpoints_checked: 0, endpoints_resealed: 0, unopenable: [], position: null };
    const lastPerPartition = new Map<number, LogPosition>();
    for await (const { ref, state } of this.store.scan(ENDPOINT)) {
      if (state.status !== 'active') continue;
      report.endpoints_checked += 1;
      const outcome = await this.resealOne(ctx, ref, state);
      if (outcome === 'unopenable') report.unopenable.push({ tenant_id: ref.tenantId, endpoint_id: ref.aggregateId });
      else if (outcome !== null) {
        report.endpoints_resealed += 1;
        // One writer per aggregate, and one endpoint after the other here: a later event lands at a later offset.
        lastPerPartition.set(outcome.partition, outcome);
      }
    }
    if (lastPerPartition.size > 0) report.position = encodePosition([...lastPerPartition.values()]);
    return report;
  }

  /** Where the endpoint's endpoint.resealed.v1 landed; null when it had nothing to seal again. */
  private async resealOne(ctx: RequestContext, ref: AggregateRef, read: EndpointState): Promise<LogPosition | null | 'unopenable'> {
    let state = read;
    for (let attempt = 1; ; attempt++) {
      let values: ResealedValues | null;
      try {
        values = this.resealedValues(state, new Date());
      } catch {
        return 'unopenable';
      }
      if (!values) return null;
      try {
        // The request's If-Match and Idempotency-Key are about the request, not about each endpoint it reseals.
        const meta = { ...commandMeta(ctx), expectedVersion: undefined, idempotency: undefined };
        const executed = await this.store.execute(ENDPOINT, ref, { type: 'ResealEndpoint', data: values }, meta);
        return executed.position;
      } catch (err) {
        if (!(err instanceof ProblemError && err.kind === 'precondition_failed') || attempt === ATTEMPTS_PER_ENDPOINT) throw err;
        state = await this.store.load(ENDPOINT, ref);
        if (state.status !== 'active') return null;
      }
    }
  }

  /** What of the endpoint's values must be sealed again; null when the current key sealed all of them. */
  private resealedValues(state: EndpointState, now: Date): ResealedValues | null {
    const secrets = activeSecrets(state, now).flatMap((s) => {
      const sealed = this.secrets.reseal(s.sealed);
      return sealed ? [{ secret_id: s.secret_id as SecretId, sealed }] : [];
    });
    const { auth, client_certificate: certificate } = state.settings;
    const authSecret = auth?.type === 'oauth2_client_credentials' ? this.secrets.reseal(auth.client_secret_sealed) : null;
    const authPassword = auth?.type === 'kafka_sasl' ? this.secrets.reseal(auth.password_sealed) : null;
    const certificateKey = certificate ? this.secrets.reseal(certificate.key_sealed) : null;
    if (secrets.length === 0 && !authSecret && !authPassword && !certificateKey) return null;
    return {
      secrets,
      ...(authSecret ? { auth_client_secret_sealed: authSecret } : {}),
      ...(authPassword ? { auth_password_sealed: authPassword } : {}),
      ...(certificateKey ? { client_certificate_key_sealed: certificateKey } : {}),
    };
  }
}
