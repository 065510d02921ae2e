import { EndpointSettingsV1 } from '@hookline/contracts';
import { MAX_CUSTOM_HEADERS, validatePayloadFilter } from '@hookline/domain';
import { AddressPolicy, checkEndpointUrl } from '@hookline/net-guard';
import { FieldProblem, ProblemError } from '@hookline/service-kit';
import { transformationProblem } from '@hookline/transform';
import { ConfigCatalog } from '../infrastructure/aggregates/config-catalog';
import { EndpointSettingsDto } from '../commands/create-endpoint/endpoint-settings.dto';
import { authHeaderProblems, endpointAuthProblems, isOAuth2 } from './endpoint-auth';
import { circuitBreakerProblems, circuitBreakerSettings } from './endpoint-circuit-breaker';
import { clientCertificateProblems } from './endpoint-client-certificate';
import { validateMetadata } from './field-checks';

// Headers the platform owns: a custom header can never replace the signature, the id, or framing.
const RESERVED_HEADER = /^(webhook-|svix-|hookline-|content-length$|content-type$|host$|connection$|transfer-encoding$|traceparent$|tracestate$|user-agent$|te$|upgrade$|keep-alive$|proxy-)/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

export interface UrlPolicy {
  allowHttp: boolean;
  policy: AddressPolicy;
}

/**
 * Checks an endpoint URL now, an https one, a Kafka destination's (`kafka+tls://host:port[,…]/topic`, plaintext
 * `kafka://` where http is allowed) or an AMQP destination's (`amqps://host[:port][/vhost]?exchange=…`, plaintext
 * `amqp://` where http is allowed); the dispatcher checks the resolved address again at every delivery.
 */
export function checkUrl(url: string, urlPolicy: UrlPolicy): string {
  const result = checkEndpointUrl(url, { ...urlPolicy, allowKafka: true, allowAmqp: true });
  if (!result.ok) throw new ProblemError('validation', result.errors[0], result.errors.map((detail) => ({ pointer: '/url', detail })));
  return result.url;
}

/** An endpoint's transformation, or a preview's, that cannot be used: a problem at `/transformation` saying why. */
export function transformationProblems(expression: string): FieldProblem[] {
  const detail = transformationProblem(expression);
  return detail ? [{ pointer: '/transformation', detail }] : [];
}

/**
 * What is wrong with each custom header given: its name, one the platform owns, or its value. A null value (a header
 * patch removing it) needs only a name.
 */
export function headerProblems(headers: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) problems.push({ pointer: `/headers/${name}`, detail: 'not a valid header name' });
    else if (RESERVED_HEADER.test(name)) problems.push({ pointer: `/headers/${name}`, detail: 'this header is set by Hookline and cannot be overridden' });
    if (value !== null && (typeof value !== 'string' || value.length > 4096 || /[\r\n\0]/.test(value))) {
      problems.push({ pointer: `/headers/${name}`, detail: 'header values are strings of at most 4096 characters without line breaks' });
    }
  }
  return problems;
}

/**
 * Everything wrong with the settings of one request, each problem with its JSON pointer. An update checks the rules
 * between fields again on the settings as they will be (one side may be unchanged; see UpdateEndpointHandler).
 */
export function settingsProblems(s: EndpointSettingsDto, urlPolicy: UrlPolicy): FieldProblem[] {
  const problems: FieldProblem[] = [
    ...endpointAuthProblems(s.auth, urlPolicy), ...authHeaderProblems(s.headers, isOAuth2(s.auth)), ...clientCertificateProblems(s.client_certificate, new Date()),
    ...circuitBreakerProblems(s.circuit_breaker),
  ];
  if (typeof s.transformation === 'string') problems.push(...transformationProblems(s.transformation));
  if (s.filter) problems.push(...validatePayloadFilter(s.filter).map((d) => ({ pointer: d.split(':')[0], detail: d.slice(d.indexOf(':') + 2) })));
  const headers = s.headers ?? {};
  if (Object.keys(headers).length > MAX_CUSTOM_HEADERS) problems.push({ pointer: '/headers', detail: `at most ${MAX_CUSTOM_HEADERS} custom headers` });
  problems.push(...headerProblems(headers));
  try {
    validateMetadata(s.metadata, '/metadata');
  } catch (err) {
    problems.push(...(err as ProblemError).errors);
  }
  return problems;
}

/**
 * Every subscribed event type must exist; returns whether any of the newly subscribed ones needs approval.
 * `eventTypes`: the list asked for, null for every type, undefined for no change. `previous`: what the endpoint had,
 * undefined when it is being created. Every type includes those that need approval: asking for all of them needs
 * approval as soon as the tenant has one (before, an endpoint of all types received them unapproved).
 */
export async function checkEventTypes(
  catalog: ConfigCatalog,
  tenantId: string,
  eventTypes: string[] | null | undefined,
  previous?: string[] | null,
): Promise<boolean> {
  const creating = previous === undefined;
  if (eventTypes === null || (eventTypes === undefined && creating)) {
    if (previous === null) return false; // all types already
    const gated = await catalog.typesNeedingApproval(tenantId);
    return gated.some((name) => !(previous ?? []).includes(name));
  }
  if (!eventTypes) return false;
  let needsApproval = false;
  const problems: FieldProblem[] = [];
  for (const [i, name] of eventTypes.entries()) {
    const et = await catalog.eventType(tenantId, name);
    if (et.status !== 'active') problems.push({ pointer: `/event_types/${i}`, detail: `event type "${name}" does not exist` });
    else if (et.requiresApproval && !(previous ?? []).includes(name)) needsApproval = true;
  }
  if (problems.length) throw new ProblemError('unknown_reference', 'the endpoint subscribes to unknown event types', problems);
  return needsApproval;
}

/** DTO fields → the settings as they travel in events (absent fields keep their defaults on create). */
export function settingsFrom(dto: EndpointSettingsDto & { url?: string }): Partial<EndpointSettingsV1> {
  const out: Partial<EndpointSettingsV1> = {};
  if (dto.url !== undefined) out.url = dto.url;
  if (dto.description !== undefined) out.description = dto.description;
  // null on an update: every event type (every channel) again, as when the field was left out at creation; an empty
  // list would mean none.
  if (dto.event_types !== undefined) out.event_types = dto.event_types === null ? null : [...new Set(dto.event_types)];
  if (dto.channels !== undefined) out.channels = dto.channels === null ? null : [...new Set(dto.channels)];
  if (dto.filter !== undefined) out.filter = dto.filter;
  if (dto.headers !== undefined) out.headers = dto.headers;
  if (dto.rate_limit_per_second !== undefined) out.rate_limit_per_second = dto.rate_limit_per_second;
  if (dto.max_in_flight !== undefined) out.max_in_flight = dto.max_in_flight;
  if (dto.retry_schedule_seconds !== undefined) out.retry_schedule_seconds = dto.retry_schedule_seconds;
  if (dto.fifo !== undefined) out.fifo = dto.fifo;
  if (dto.auto_disable_after_hours !== undefined) out.auto_disable_after_hours = dto.auto_disable_after_hours;
  if (dto.circuit_breaker !== undefined) out.circuit_breaker = dto.circuit_breaker === null ? null : circuitBreakerSettings(dto.circuit_breaker);
  if (dto.transformation !== undefined) out.transformation = dto.transformation;
  if (dto.metadata !== undefined) out.metadata = dto.metadata;
  return out;
}
