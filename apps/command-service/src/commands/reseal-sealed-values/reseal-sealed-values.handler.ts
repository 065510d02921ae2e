import { Inject, Injectable } from '@nestjs/common';
import { EndpointResealedV1, LogPosition, SecretId, SourceHandshakeV1, SourceVerificationV1, encodePosition } from '@hookline/contracts';
import { EndpointState, activeSecrets, assertNever } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireAdmin } from '../../auth/auth-context';
import { AggregateKind, ENDPOINT, SOURCE } from '../../infrastructure/aggregates/aggregate-kinds';
import { AggregateRef, AggregateStore } from '../../infrastructure/aggregates/aggregate-store';
import { EndpointSecrets } from '../../infrastructure/secrets/endpoint-secrets';
import { RequestContext, commandMeta } from '../../shared/request-context';

type ResealedValues = Omit<EndpointResealedV1['data'], 'endpoint_id'>;

export interface ResealReport {
  endpoints_checked: number;
  endpoints_resealed: number;
  /** Endpoints holding a value no configured key opens: they cannot be signed for until it is replaced. */
  unopenable: Array<{ tenant_id: string; endpoint_id: string }>;
  /** Where the endpoint.resealed.v1 and source.updated.v1 events landed (the last one per partition), for read-your-writes; null when none was needed. */
  position: string | null;
  sources_checked: number;
  sources_resealed: number;
  /** HTTP sources holding a secret no configured key opens: their webhooks cannot be verified until it is set again. */
  unopenable_sources: Array<{ tenant_id: string; source_id: string }>;
}

// An aggregate changed by its tenant between our read and our write (a rotation, a new client secret) is read again.
const ATTEMPTS_PER_AGGREGATE = 3;

/**
 * After SECRETS_ENCRYPTION_KEY was rotated: every value an endpoint still uses that a previous key sealed (signing
 * secrets not yet expired, the OAuth 2.0 client secret or the Kafka SASL password, the client certificate's key) is
 * sealed again under the current key, one endpoint.resealed.v1 per endpoint; so is each HTTP source's secret and Meta
 * verify token, one source.updated.v1 (its verification or handshake, re-sealed) per source. Receivers and providers
 * see no change; afterwards no endpoint or source needs the previous key. Running it again reseals only what is still under an old key, so a retry is safe
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
    const lastPerPartition = new Map<number, LogPosition>();
    const endpoints = await this.resealEach(ctx, ENDPOINT, (state) => {
      const values = this.resealedValues(state, new Date());
      return values && { type: 'ResealEndpoint' as const, data: values };
    }, lastPerPartition);
    const sources = await this.resealEach(ctx, SOURCE, (state) => {
      const { verification: read, handshake: readHandshake = null } = state.settings;
      const verification = this.resealedVerification(read);
      const handshake = readHandshake?.type === 'meta' ? this.resealedHandshake(readHandshake) : null;
      if (!verification && !handshake) return null;
      return {
        type: 'ResealSource' as const,
        data: { read, verification: verification ?? read, ...(handshake ? { read_handshake: readHandshake, handshake } : {}) },
      };
    }, lastPerPartition);
    return {
      endpoints_checked: endpoints.checked,
      endpoints_resealed: endpoints.resealed,
      unopenable: endpoints.unopenable.map((ref) => ({ tenant_id: ref.tenantId, endpoint_id: ref.aggregateId })),
      position: lastPerPartition.size > 0 ? encodePosition([...lastPerPartition.values()]) : null,
      sources_checked: sources.checked,
      sources_resealed: sources.resealed,
      unopenable_sources: sources.unopenable.map((ref) => ({ tenant_id: ref.tenantId, source_id: ref.aggregateId })),
    };
  }

  /**
   * Reseals every existing aggregate of a kind, one after the other: `command` is what seals its values again (null:
   * nothing to do; it throws when no configured key opens one). Records where each event landed in `lastPerPartition`.
   */
  private async resealEach<S extends { status: string; version: number }, C, E extends { type: string; data: unknown }>(
    ctx: RequestContext, kind: AggregateKind<S, C, E>, command: (state: S) => C | null, lastPerPartition: Map<number, LogPosition>,
  ): Promise<{ checked: number; resealed: number; unopenable: AggregateRef[] }> {
    const counts = { checked: 0, resealed: 0, unopenable: [] as AggregateRef[] };
    for await (const { ref, state } of this.store.scan(kind)) {
      if (state.status !== 'active') continue;
      counts.checked += 1;
      const outcome = await this.resealOne(ctx, kind, ref, state, command);
      if (outcome === 'unopenable') counts.unopenable.push(ref);
      else if (outcome !== null) {
        counts.resealed += 1;
        // One writer per aggregate, and one aggregate after the other here: a later event lands at a later offset.
        lastPerPartition.set(outcome.partition, outcome);
      }
    }
    return counts;
  }

  /** Where the aggregate's event landed; null when it had nothing to seal again. */
  private async resealOne<S extends { status: string; version: number }, C, E extends { type: string; data: unknown }>(
    ctx: RequestContext, kind: AggregateKind<S, C, E>, ref: AggregateRef, read: S, command: (state: S) => C | null,
  ): Promise<LogPosition | null | 'unopenable'> {
    let state = read;
    for (let attempt = 1; ; attempt++) {
      let resealing: C | null;
      try {
        resealing = command(state);
      } catch {
        return 'unopenable';
      }
      if (!resealing) return null;
      try {
        // The request's If-Match and Idempotency-Key are about the request, not about each aggregate it reseals.
        const meta = { ...commandMeta(ctx), expectedVersion: undefined, idempotency: undefined };
        return (await this.store.execute(kind, ref, resealing, meta)).position;
      } catch (err) {
        if (!(err instanceof ProblemError && err.kind === 'precondition_failed') || attempt === ATTEMPTS_PER_AGGREGATE) throw err;
        state = await this.store.load(kind, ref);
        if (state.status !== 'active') return null;
      }
    }
  }

  /** The verification with its secret sealed anew; null when it has none, or the current key sealed it. */
  private resealedVerification(v: SourceVerificationV1): SourceVerificationV1 | null {
    const again = (sealed: string, replace: (resealed: string) => SourceVerificationV1) => {
      const resealed = this.secrets.reseal(sealed);
      return resealed ? replace(resealed) : null;
    };
    switch (v.type) {
      case 'standard_webhooks':
      case 'hmac':
      case 'stripe':
      case 'v0_hmac':
      case 'graph_client_state':
        return again(v.secret_sealed, (secret_sealed) => ({ ...v, secret_sealed }));
      case 'basic_auth':
        return again(v.password_sealed, (password_sealed) => ({ ...v, password_sealed }));
      case 'api_key':
        return again(v.key_sealed, (key_sealed) => ({ ...v, key_sealed }));
      case 'none':
        return null;
      default:
        return assertNever(v);
    }
  }

  /** Meta's verify token sealed anew; null when the current key sealed it. */
  private resealedHandshake(h: Extract<SourceHandshakeV1, { type: 'meta' }>): SourceHandshakeV1 | null {
    const verify_token_sealed = this.secrets.reseal(h.verify_token_sealed);
    return verify_token_sealed ? { ...h, verify_token_sealed } : null;
  }

  /** What of the endpoint's values must be sealed again; null when the current key sealed all of them. */
  private resealedValues(state: EndpointState, now: Date): ResealedValues | null {
    const secrets = activeSecrets(state, now).flatMap((s) => {
      const sealed = this.secrets.reseal(s.sealed);
      return sealed ? [{ secret_id: s.secret_id as SecretId, sealed }] : [];
    });
    const { auth, client_certificate: certificate } = state.settings;
    const authSecret = auth?.type === 'oauth2_client_credentials' ? this.secrets.reseal(auth.client_secret_sealed) : null;
    const authPassword = auth?.type === 'kafka_sasl' || auth?.type === 'amqp_plain' ? this.secrets.reseal(auth.password_sealed) : null;
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
