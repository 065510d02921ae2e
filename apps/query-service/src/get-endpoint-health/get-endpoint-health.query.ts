import { Injectable } from '@nestjs/common';
import { CallerInfo } from '../auth/authenticator';
import { EndpointEntity, EndpointHealthEntity } from '../database/read-model/entities';
import { latencyQuantile } from '../projection/latency-histogram';
import { assertEndpointOfTenant } from '../shared/endpoint-scope';
import { endpointStates } from '../shared/endpoint-states';
import { QueryRuntime } from '../shared/query-runtime';
import { iso } from '../shared/views';
import { GetEndpointHealthRequest } from './get-endpoint-health.request.dto';

export interface EndpointHealthView {
  endpoint_id: string;
  url: string | null;
  status: string | null;
  disabled_reason: string | null;
  disabled_detail: string | null;
  attempts: number;
  successes: number;
  /** successes / attempts, null before the first attempt. */
  success_rate: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  status_codes: Record<string, number>;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  breaker_state: string;
  auto_disabled: { reason: string; detail: string | null; at: string } | null;
  /**
   * The endpoint's client certificate (null without one), with the dispatcher's latest warning about that very
   * certificate (expiring soon, or expired); a renewed certificate has none until it is due for one itself.
   */
  client_certificate: { fingerprint_sha256: string; not_after: string; warning: { stage: string; at: string } | null } | null;
}

/** Delivery health of one endpoint: counts, success rate, latency percentiles, status codes, breaker and disabled state. */
@Injectable()
export class GetEndpointHealthQuery {
  constructor(private readonly runtime: QueryRuntime) {}

  async execute(caller: CallerInfo, request: GetEndpointHealthRequest): Promise<EndpointHealthView> {
    const tenantId = await this.runtime.scope(caller, request);
    return this.runtime.models.read(async (em) => {
      await assertEndpointOfTenant(em, tenantId, request.endpoint_id);
      const where = { tenant_id: tenantId, endpoint_id: request.endpoint_id };
      const endpoint = await em.getRepository(EndpointEntity).findOneBy(where);
      const health = await em.getRepository(EndpointHealthEntity).findOneBy(where);
      const certificate = (await endpointStates(em, tenantId, [request.endpoint_id])).get(request.endpoint_id)?.settings.client_certificate;
      const attempts = Number(health?.attempts ?? 0);
      const successes = Number(health?.successes ?? 0);
      return {
        endpoint_id: request.endpoint_id, url: endpoint?.url ?? null, status: endpoint?.status ?? null,
        disabled_reason: endpoint?.disabled_reason ?? null, disabled_detail: endpoint?.disabled_detail ?? null,
        attempts, successes, success_rate: attempts ? successes / attempts : null,
        latency_p50_ms: health ? latencyQuantile(health.latency_buckets, 0.5) : null,
        latency_p95_ms: health ? latencyQuantile(health.latency_buckets, 0.95) : null,
        status_codes: Object.fromEntries(Object.entries(health?.status_codes ?? {}).map(([k, v]) => [k, Number(v)])),
        last_attempt_at: iso(health?.last_attempt_at ?? null), last_success_at: iso(health?.last_success_at ?? null),
        last_failure_at: iso(health?.last_failure_at ?? null), last_error: health?.last_error ?? null,
        breaker_state: health?.breaker_state ?? 'closed',
        auto_disabled: health?.auto_disabled_at
          ? { reason: health.auto_disabled_reason!, detail: health.auto_disabled_detail, at: iso(health.auto_disabled_at)! } : null,
        client_certificate: certificate ? {
          fingerprint_sha256: certificate.fingerprint_sha256, not_after: certificate.not_after,
          warning: health?.certificate_warned_at && health.certificate_fingerprint === certificate.fingerprint_sha256
            ? { stage: health.certificate_warning!, at: iso(health.certificate_warned_at)! } : null,
        } : null,
      };
    });
  }
}
