import { Inject, Injectable } from '@nestjs/common';
import { SourceEventTypeV1, SourceIdempotencyV1, SourceRateLimitV1, SourceSettingsV1, isId } from '@hookline/contracts';
import { SourceCommand, SourceState } from '@hookline/domain';
import { ProblemError } from '@hookline/service-kit';
import { requireTenant } from '../auth/auth-context';
import { SOURCE } from '../infrastructure/aggregates/aggregate-kinds';
import { AggregateStore, WriteResult } from '../infrastructure/aggregates/aggregate-store';
import { ConfigCatalog } from '../infrastructure/aggregates/config-catalog';
import type { CommandConfig } from '../infrastructure/infrastructure';
import { EndpointSecrets } from '../infrastructure/secrets/endpoint-secrets';
import { SourceSettingsDto } from '../commands/create-source/source-settings.dto';
import { RequestContext, commandMeta } from './request-context';
import {
  SourceHandshakeInput, SourceVerificationInput, normalizedEventType, normalizedIdempotency, sealedHandshake, sealedVerification, sourceInputProblems,
  sourceRateLimit, withoutSealed,
} from './source-input';
import { COMMAND_CONFIG } from './tokens';

/** A source as every answer shows it: its settings without secrets, and where its provider sends webhooks. */
export interface SourceAnswer extends WriteResult {
  id: string;
  name: string;
  description: string;
  verification: Record<string, unknown>;
  event_type: SourceEventTypeV1;
  idempotency: SourceIdempotencyV1;
  payload_field: string | null;
  channels: string[] | null;
  enabled: boolean;
  /** The URL check the source answers (`{"type":"slack"}`, …; Meta's verify token never shown); null: none. */
  handshake: Record<string, unknown> | null;
  /** The most requests the source takes (`burst` at once, refilled at `per_second`); null: no limit. */
  rate_limit: SourceRateLimitV1 | null;
  /** `<PUBLIC_URL or the request's origin>/ingest/<id>`: the URL to give the provider. */
  ingest_url: string;
  deleted?: true;
}

/** A request's source settings, as sent (create: every required field present; update: any of them). */
export type SourceSettingsInput = SourceSettingsDto & {
  name?: string; verification?: SourceVerificationInput; event_type?: SourceEventTypeV1; handshake?: SourceHandshakeInput | null;
};

/**
 * Runs create, update and delete commands on one source of the caller's tenant, and answers them alike. The sources'
 * own rules are the decider's (libs/domain); what needs the outside world is here: the tenant, the event type a
 * source fixes, sealing its secret, and the ingest URL.
 */
@Injectable()
export class SourceCommands {
  constructor(
    @Inject(AggregateStore) private readonly store: AggregateStore,
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(EndpointSecrets) private readonly secrets: EndpointSecrets,
    @Inject(COMMAND_CONFIG) private readonly config: CommandConfig,
  ) {}

  /**
   * The settings a request changes, checked and with its secret sealed. A fixed event type must exist when it is set
   * (a typo would otherwise refuse every webhook); one deleted later makes its webhooks 422, as POST /messages does.
   */
  async settingsOf(tenantId: string, input: SourceSettingsInput): Promise<Partial<SourceSettingsV1>> {
    // Optional fields are not nullable unless null means something (idempotency, payload_field, channels).
    const nulls = (['name', 'description', 'verification', 'event_type', 'enabled'] as const).filter((f) => input[f] === null);
    const problems = [...nulls.map((f) => ({ pointer: `/${f}`, detail: 'cannot be null' })), ...sourceInputProblems(input)];
    if (problems.length) throw new ProblemError('validation', 'the source settings have invalid fields', problems);
    const fixed = input.event_type?.from === 'fixed' ? input.event_type.event_type : null;
    if (fixed !== null && (await this.catalog.eventType(tenantId, fixed)).status !== 'active') {
      throw new ProblemError('unknown_reference', `event type "${fixed}" does not exist; create it first`, [{ pointer: '/event_type/event_type', detail: 'unknown event type' }]);
    }
    const settings: Partial<SourceSettingsV1> = {};
    if (input.name !== undefined) settings.name = input.name;
    if (input.description !== undefined) settings.description = input.description;
    if (input.verification !== undefined) settings.verification = sealedVerification(input.verification, (plain) => this.secrets.seal(plain));
    if (input.event_type !== undefined) settings.event_type = normalizedEventType(input.event_type);
    if (input.idempotency !== undefined) settings.idempotency = normalizedIdempotency(input.idempotency as SourceIdempotencyV1);
    if (input.payload_field !== undefined) settings.payload_field = input.payload_field;
    if (input.channels !== undefined) settings.channels = input.channels === null ? null : [...new Set(input.channels)];
    if (input.enabled !== undefined) settings.enabled = input.enabled;
    if (input.handshake !== undefined) settings.handshake = sealedHandshake(input.handshake, (plain) => this.secrets.seal(plain));
    if (input.rate_limit !== undefined) settings.rate_limit = sourceRateLimit(input.rate_limit);
    return settings;
  }

  /** Runs one command on a source of the caller's tenant (unknown or foreign ids answer 404) and answers with the source. */
  async run(ctx: RequestContext, tenantParam: string, sourceId: string, command: SourceCommand | ((tenantId: string) => Promise<SourceCommand>), origin: string | null): Promise<SourceAnswer> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    if (!isId('source', sourceId)) throw new ProblemError('not_found', 'source not found');
    const decided = typeof command === 'function' ? await command(tenantId) : command;
    try {
      return await this.store.respond(SOURCE, { tenantId, aggregateId: sourceId }, decided, commandMeta(ctx), (result) => this.answer(sourceId, result.state, origin));
    } finally {
      // This instance answers the change at once on /ingest; others within the catalog's TTL.
      this.catalog.invalidate(SOURCE.kind, '', sourceId);
    }
  }

  private answer(id: string, state: SourceState, origin: string | null): Omit<SourceAnswer, keyof WriteResult> {
    const s = state.settings;
    return {
      id, name: s.name, description: s.description, verification: withoutSealed(s.verification), event_type: s.event_type, idempotency: s.idempotency,
      payload_field: s.payload_field, channels: s.channels, enabled: s.enabled, handshake: s.handshake ? withoutSealed(s.handshake) : null,
      rate_limit: s.rate_limit ?? null, ingest_url: `${this.publicUrl(origin)}/ingest/${id}`,
      ...(state.status === 'deleted' ? { deleted: true as const } : {}),
    };
  }

  private publicUrl(origin: string | null): string {
    return (this.config.PUBLIC_URL || origin || `http://127.0.0.1:${this.config.PORT}`).replace(/\/+$/, '');
  }
}

/** The origin a REST request was sent to (its scheme and Host), for links back to this service. */
export function requestOrigin(req: { protocol: string; get(name: string): string | undefined }): string | null {
  const host = req.get('host');
  return host ? `${req.protocol}://${host}` : null;
}
