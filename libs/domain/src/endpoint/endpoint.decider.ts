import {
  DisabledReason,
  EndpointAuthV1,
  EndpointEvent,
  EndpointId,
  EndpointResealedV1,
  EndpointSettingsV1,
  EndpointStatus,
  SealedSecretV1,
} from '@hookline/contracts';
import { Decision, accept, assertNever, refuse } from '../shared/decision';

export interface EndpointState {
  status: 'absent' | 'active' | 'deleted';
  endpointId: EndpointId | null;
  settings: EndpointSettingsV1;
  deliveryStatus: EndpointStatus;
  disabledReason: DisabledReason | null;
  secrets: SealedSecretV1[];
  /**
   * On an endpoint of every event type, the types needing approval it was approved for: it receives no other type that
   * needs approval. Absent on endpoints of every type created before it was kept, which receive every type.
   */
  approvedEventTypes?: string[];
  /** On an endpoint of every event type, the types needing approval an admin declined: it does not await them. */
  declinedEventTypes?: string[];
  version: number;
}

/** How long a rotated-out secret keeps signing, so receivers can switch without losing a webhook. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
/** More active secrets than this makes every signature header long; rotation must wait for old ones to expire. */
export const MAX_ACTIVE_SECRETS = 5;
/** Custom headers an endpoint may have: enough for any receiver's auth and routing, few enough to keep requests small. */
export const MAX_CUSTOM_HEADERS = 20;

export type EndpointCommand =
  | {
      type: 'CreateEndpoint';
      data: { endpoint_id: EndpointId; settings: EndpointSettingsV1; secret: SealedSecretV1; disabled: boolean };
      /** True when a subscribed event type requires approval: the endpoint waits for it. */
      needsApproval: boolean;
    }
  | {
      type: 'UpdateEndpoint';
      data: Partial<EndpointSettingsV1>;
      needsApproval: boolean;
      /** The tenant's event types that need approval: given when the update subscribes the endpoint to every type. */
      gatedTypes?: string[];
    }
  /**
   * Changes some custom headers and keeps the others (JSON merge patch, as Svix's): a string sets a header, null removes
   * it. The only way to change one header without sending the others' values, which reads show masked.
   */
  | { type: 'PatchEndpointHeaders'; data: { headers: Record<string, string | null> } }
  | { type: 'DeleteEndpoint' }
  | { type: 'EnableEndpoint' }
  | { type: 'DisableEndpoint'; data: { reason: DisabledReason; detail: string } }
  | { type: 'RotateEndpointSecret'; data: { secret: SealedSecretV1; now: Date; graceMs: number } }
  /** The given values sealed again under the current key (see endpoint.resealed.v1); only values the endpoint holds. */
  | { type: 'ResealEndpoint'; data: Omit<EndpointResealedV1['data'], 'endpoint_id'> }
  /**
   * `gatedTypes`: the tenant's event types that need approval, which the approval covers but for declined ones;
   * `eventTypes`, on an endpoint of every type: approves only these, declined ones included.
   */
  | { type: 'ApproveEndpoint'; gatedTypes: string[]; eventTypes?: string[] }
  /** Declines types an endpoint of every type awaits approval for (of `gatedTypes`, the tenant's types needing it). */
  | { type: 'DeclineEventTypes'; data: { event_types: string[]; reason: string }; gatedTypes: string[] }
  | { type: 'RejectEndpoint'; data: { reason: string } };

/** Settings of an endpoint created with nothing but a URL: every type and channel, default retries. */
export const DEFAULT_ENDPOINT_SETTINGS: Readonly<EndpointSettingsV1> = {
  url: '',
  description: '',
  event_types: null,
  channels: null,
  filter: null,
  headers: {},
  rate_limit_per_second: null,
  max_in_flight: null,
  retry_schedule_seconds: null,
  fifo: false,
  metadata: {},
};

/** An endpoint that has never existed. */
export const initialEndpointState = (): EndpointState => ({
  status: 'absent',
  endpointId: null,
  settings: DEFAULT_ENDPOINT_SETTINGS,
  deliveryStatus: 'enabled',
  disabledReason: null,
  secrets: [],
  version: 0,
});

/** Secrets that still sign at `now`: the current one, and rotated-out ones inside their grace period. */
export function activeSecrets(state: Pick<EndpointState, 'secrets'>, now: Date): SealedSecretV1[] {
  return state.secrets.filter((s) => s.expires_at === null || Date.parse(s.expires_at) > now.getTime());
}

/**
 * The tenant's types needing approval (`gatedTypes`) that an endpoint of every type does not receive, not being
 * approved for them: types created, or made to need approval, after it was approved, awaited or declined. Empty for an
 * endpoint that lists its types (it asked for each by name, and was approved for those that needed it then).
 */
export function typesNotApproved(
  state: { settings: Pick<EndpointSettingsV1, 'event_types'>; approvedEventTypes?: string[] },
  gatedTypes: readonly string[],
): string[] {
  const approved = state.approvedEventTypes;
  if (state.settings.event_types !== null || approved === undefined) return [];
  return gatedTypes.filter((name) => !approved.includes(name));
}

/** Of the types an endpoint of every type is not approved for (typesNotApproved), those it awaits: not declined. */
export function typesAwaitingApproval(
  state: { settings: Pick<EndpointSettingsV1, 'event_types'>; approvedEventTypes?: string[]; declinedEventTypes?: string[] },
  gatedTypes: readonly string[],
): string[] {
  const declined = state.declinedEventTypes ?? [];
  return typesNotApproved(state, gatedTypes).filter((name) => !declined.includes(name));
}

/**
 * Of the tenant's types needing approval (`gatedTypes`), those declined for an endpoint of every type: it does not
 * receive them, nor await approval for them. A declined type that no longer needs approval is received like any other.
 */
export function typesDeclined(
  state: { settings: Pick<EndpointSettingsV1, 'event_types'>; declinedEventTypes?: string[] },
  gatedTypes: readonly string[],
): string[] {
  const declined = state.declinedEventTypes ?? [];
  if (state.settings.event_types !== null) return [];
  return gatedTypes.filter((name) => declined.includes(name));
}

/**
 * Custom headers after a merge patch: each name in `patch` first drops the header of that name whatever its case
 * (header names are case-insensitive, so `x-team` replaces `X-Team`), then a string value sets it as spelled there.
 */
export function patchedHeaders(current: Readonly<Record<string, string>>, patch: Readonly<Record<string, string | null>>): Record<string, string> {
  const named = new Set(Object.keys(patch).map((name) => name.toLowerCase()));
  const kept = Object.entries(current).filter(([name]) => !named.has(name.toLowerCase()));
  const set = Object.entries(patch).filter((entry): entry is [string, string] => entry[1] !== null);
  return Object.fromEntries([...kept, ...set]);
}

/** Endpoint rules: lifecycle, approval of subscriptions that need it, and secret rotation. */
export function decideEndpoint(command: EndpointCommand, state: EndpointState): Decision<EndpointEvent> {
  if (command.type === 'CreateEndpoint') {
    if (state.status !== 'absent') return refuse('already_exists', `endpoint ${command.data.endpoint_id} already exists`);
    const status: EndpointStatus = command.needsApproval ? 'pending_approval' : command.data.disabled ? 'disabled' : 'enabled';
    // Of every type without approval only while the tenant has no type needing it: so it is approved for none yet.
    const approved = command.data.settings.event_types === null ? { approved_event_types: [] } : {};
    return accept({
      type: 'endpoint.created.v1',
      data: { ...command.data.settings, ...approved, endpoint_id: command.data.endpoint_id, status, secrets: [command.data.secret] },
    });
  }
  if (state.status !== 'active') return refuse('not_found', 'endpoint not found');
  const endpoint_id = state.endpointId!;

  switch (command.type) {
    case 'UpdateEndpoint': {
      const changes = Object.fromEntries(Object.entries(command.data).filter(([, v]) => v !== undefined)) as Partial<EndpointSettingsV1>;
      // A disabled endpoint waits for approval too, as on create: otherwise enabling it later would skip the approval.
      const becomesPending = command.needsApproval && state.deliveryStatus !== 'pending_approval';
      if (Object.keys(changes).length === 0) return accept();
      // Coming to receive every type: without a new approval only when it already received each type needing one
      // (it listed them all), so those are approved; otherwise the approval it now waits for says which.
      const toEveryType = changes.event_types === null && state.settings.event_types !== null;
      // A new subscription to every type is a new question: what was declined for the last one is asked again.
      const undeclined = toEveryType && state.declinedEventTypes?.length ? { declined_event_types: [] } : {};
      const approved = toEveryType ? { approved_event_types: command.needsApproval ? [] : [...(command.gatedTypes ?? [])], ...undeclined } : {};
      return accept({
        type: 'endpoint.updated.v1',
        data: { ...changes, ...approved, endpoint_id, ...(becomesPending ? { status: 'pending_approval' as const } : {}) },
      });
    }
    case 'PatchEndpointHeaders': {
      const current = state.settings.headers ?? {};
      const headers = patchedHeaders(current, command.data.headers);
      if (Object.keys(headers).length > MAX_CUSTOM_HEADERS) {
        return refuse('invalid', `at most ${MAX_CUSTOM_HEADERS} custom headers; the endpoint would have ${Object.keys(headers).length}`, { field: '/headers' });
      }
      const unchanged = Object.keys(headers).length === Object.keys(current).length
        && Object.entries(headers).every(([name, value]) => current[name] === value);
      if (unchanged) return accept();
      return accept({ type: 'endpoint.updated.v1', data: { endpoint_id, headers } });
    }
    case 'DeleteEndpoint':
      return accept({ type: 'endpoint.deleted.v1', data: { endpoint_id } });
    case 'EnableEndpoint':
      if (state.deliveryStatus === 'pending_approval') {
        return refuse('precondition_failed', 'endpoint is waiting for approval of its subscriptions; approve it instead');
      }
      if (state.deliveryStatus === 'enabled') return accept();
      return accept({ type: 'endpoint.enabled.v1', data: { endpoint_id } });
    case 'DisableEndpoint':
      // Disabled → enabled needs no approval, so a pending endpoint must not become disabled without one.
      if (state.deliveryStatus === 'pending_approval') {
        return refuse('precondition_failed', 'endpoint is waiting for approval and receives nothing until then; delete it, or disable it once approved');
      }
      if (state.deliveryStatus === 'disabled') return accept();
      return accept({ type: 'endpoint.disabled.v1', data: { endpoint_id, ...command.data } });
    case 'RotateEndpointSecret': {
      const { secret, now, graceMs } = command.data;
      if (activeSecrets(state, now).length >= MAX_ACTIVE_SECRETS) {
        return refuse('precondition_failed', `endpoint already has ${MAX_ACTIVE_SECRETS} active secrets; wait for rotated ones to expire`);
      }
      return accept({
        type: 'endpoint.secret_rotated.v1',
        data: { endpoint_id, secret, previous_secrets_expire_at: new Date(now.getTime() + graceMs).toISOString() },
      });
    }
    case 'ResealEndpoint': {
      const { secrets, auth_client_secret_sealed: authSecret, auth_password_sealed: authPassword, client_certificate_key_sealed: certificateKey } = command.data;
      // Sealed again from the state the caller read: a value it did not see (rotated in since) must not be overwritten.
      const held = new Set(state.secrets.map((s) => s.secret_id));
      const unknown = secrets.find((s) => !held.has(s.secret_id));
      if (unknown) return refuse('precondition_failed', `endpoint has no secret ${unknown.secret_id}; read it again`);
      const authType = state.settings.auth?.type;
      if (authSecret !== undefined && authType !== 'oauth2_client_credentials') return refuse('precondition_failed', 'endpoint has no OAuth 2.0 credentials; read it again');
      if (authPassword !== undefined && authType !== 'kafka_sasl' && authType !== 'amqp_plain') {
        return refuse('precondition_failed', 'endpoint has no Kafka SASL or AMQP password; read it again');
      }
      if (certificateKey !== undefined && !state.settings.client_certificate) return refuse('precondition_failed', 'endpoint has no client certificate; read it again');
      if (secrets.length === 0 && authSecret === undefined && authPassword === undefined && certificateKey === undefined) return accept();
      return accept({
        type: 'endpoint.resealed.v1',
        data: {
          endpoint_id, secrets,
          ...(authSecret !== undefined ? { auth_client_secret_sealed: authSecret } : {}),
          ...(authPassword !== undefined ? { auth_password_sealed: authPassword } : {}),
          ...(certificateKey !== undefined ? { client_certificate_key_sealed: certificateKey } : {}),
        },
      });
    }
    case 'ApproveEndpoint':
      return command.eventTypes ? approveNamedTypes(state, command.gatedTypes, command.eventTypes) : approveAwaited(state, command.gatedTypes);
    case 'DeclineEventTypes': {
      const awaited = typesAwaitingApproval(state, command.gatedTypes);
      const notAwaited = command.data.event_types.find((name) => !awaited.includes(name));
      if (notAwaited !== undefined) return refuse('precondition_failed', notAwaitedReason(state, command.gatedTypes, notAwaited));
      const declined = [...new Set([...(state.declinedEventTypes ?? []), ...command.data.event_types])];
      return accept({ type: 'endpoint.event_types_declined.v1', data: { endpoint_id, ...command.data, declined_event_types: declined } });
    }
    case 'RejectEndpoint':
      if (state.deliveryStatus !== 'pending_approval') return refuse('precondition_failed', 'endpoint is not waiting for approval');
      return accept({ type: 'endpoint.rejected.v1', data: { endpoint_id, reason: command.data.reason } });
    default:
      return assertNever(command);
  }
}

/**
 * Approves what an endpoint awaits: one waiting for approval starts receiving, and one of every type is approved for
 * each type needing approval but those declined (no longer awaited: an approval naming them lifts a decline).
 */
function approveAwaited(state: EndpointState, gatedTypes: string[]): Decision<EndpointEvent> {
  const endpoint_id = state.endpointId!;
  const pending = state.deliveryStatus === 'pending_approval';
  if (!pending && typesAwaitingApproval(state, gatedTypes).length === 0) {
    return refuse('precondition_failed', 'endpoint is not waiting for approval');
  }
  const declined = state.declinedEventTypes ?? [];
  const approved = state.settings.event_types === null ? { approved_event_types: gatedTypes.filter((name) => !declined.includes(name)) } : {};
  return accept({ type: 'endpoint.approved.v1', data: { endpoint_id, ...approved } });
}

/**
 * Approves the named types needing approval for an endpoint of every type, awaited or declined, keeping what it was
 * approved for; one waiting for approval starts receiving too.
 */
function approveNamedTypes(state: EndpointState, gatedTypes: string[], eventTypes: string[]): Decision<EndpointEvent> {
  const endpoint_id = state.endpointId!;
  if (state.settings.event_types !== null) {
    return refuse('precondition_failed', 'endpoint lists its event types, so it is approved as a whole: approve it without event_types');
  }
  const open = [...typesAwaitingApproval(state, gatedTypes), ...typesDeclined(state, gatedTypes)];
  const unknown = eventTypes.find((name) => !open.includes(name));
  if (unknown !== undefined) return refuse('precondition_failed', notAwaitedReason(state, gatedTypes, unknown));
  const approved = [...new Set([...(state.approvedEventTypes ?? []), ...eventTypes])];
  const declined = state.declinedEventTypes?.length ? { declined_event_types: state.declinedEventTypes.filter((name) => !eventTypes.includes(name)) } : {};
  return accept({ type: 'endpoint.approved.v1', data: { endpoint_id, approved_event_types: approved, ...declined } });
}

/** Why an approval or decline may not name `name`, and what to do instead. */
function notAwaitedReason(state: EndpointState, gatedTypes: readonly string[], name: string): string {
  if (!gatedTypes.includes(name)) return `event type ${name} does not need approval (or does not exist): the endpoint receives it without one`;
  if (state.settings.event_types !== null) return `endpoint lists its event types, so it is approved or rejected as a whole, not per type (${name})`;
  if (state.approvedEventTypes === undefined || state.approvedEventTypes.includes(name)) return `endpoint is already approved for event type ${name}`;
  return `event type ${name} is already declined for this endpoint; approve it by name to lift the decline`;
}

/** Applies one endpoint event. */
export function evolveEndpoint(state: EndpointState, event: EndpointEvent): EndpointState {
  const version = state.version + 1;
  switch (event.type) {
    case 'endpoint.created.v1': {
      const { endpoint_id, status, secrets, approved_event_types: approved, declined_event_types: declined, ...settings } = event.data;
      return {
        status: 'active', endpointId: endpoint_id, settings, deliveryStatus: status, disabledReason: null, secrets,
        ...(approved ? { approvedEventTypes: approved } : {}), ...(declined ? { declinedEventTypes: declined } : {}), version,
      };
    }
    case 'endpoint.updated.v1': {
      const { endpoint_id: _id, status, approved_event_types: approved, declined_event_types: declined, ...changes } = event.data;
      return {
        ...state, settings: { ...state.settings, ...changes }, deliveryStatus: status ?? state.deliveryStatus,
        ...(approved ? { approvedEventTypes: approved } : {}), ...(declined ? { declinedEventTypes: declined } : {}), version,
      };
    }
    case 'endpoint.deleted.v1':
      return { ...state, status: 'deleted', version };
    case 'endpoint.enabled.v1':
      return { ...state, deliveryStatus: 'enabled', disabledReason: null, version };
    case 'endpoint.approved.v1': {
      const { approved_event_types: approved, declined_event_types: declined } = event.data;
      // Only an endpoint waiting for approval starts receiving; one approved for more types keeps its status.
      const status = state.deliveryStatus === 'pending_approval' ? { deliveryStatus: 'enabled' as const, disabledReason: null } : {};
      return { ...state, ...status, ...(approved ? { approvedEventTypes: approved } : {}), ...(declined ? { declinedEventTypes: declined } : {}), version };
    }
    case 'endpoint.event_types_declined.v1':
      return { ...state, declinedEventTypes: event.data.declined_event_types, version };
    case 'endpoint.disabled.v1':
      return { ...state, deliveryStatus: 'disabled', disabledReason: event.data.reason, version };
    case 'endpoint.rejected.v1':
      return { ...state, deliveryStatus: 'disabled', disabledReason: 'rejected', version };
    case 'endpoint.secret_rotated.v1': {
      const expiresAt = event.data.previous_secrets_expire_at;
      const previous = state.secrets.map((s) => (s.expires_at === null || s.expires_at > expiresAt ? { ...s, expires_at: expiresAt } : s));
      return { ...state, secrets: [...previous, event.data.secret], version };
    }
    case 'endpoint.resealed.v1': {
      const { secrets: resealed, client_certificate_key_sealed: certificateKey } = event.data;
      const bySecret = new Map(resealed.map((s) => [s.secret_id, s.sealed]));
      const { auth, client_certificate: certificate } = state.settings;
      const resealedAuth = auth ? withResealedAuth(auth, event.data) : auth;
      return {
        ...state,
        secrets: state.secrets.map((s) => (bySecret.has(s.secret_id) ? { ...s, sealed: bySecret.get(s.secret_id)! } : s)),
        settings: {
          ...state.settings,
          ...(resealedAuth !== auth ? { auth: resealedAuth } : {}),
          ...(certificate && certificateKey !== undefined ? { client_certificate: { ...certificate, key_sealed: certificateKey } } : {}),
        },
        version,
      };
    }
    default:
      return assertNever(event);
  }
}

/** The auth with its own kind of secret replaced when endpoint.resealed.v1 carries one; the same object otherwise. */
function withResealedAuth(auth: EndpointAuthV1, resealed: EndpointResealedV1['data']): EndpointAuthV1 {
  switch (auth.type) {
    case 'oauth2_client_credentials':
      return resealed.auth_client_secret_sealed === undefined ? auth : { ...auth, client_secret_sealed: resealed.auth_client_secret_sealed };
    case 'kafka_sasl':
    case 'amqp_plain':
      return resealed.auth_password_sealed === undefined ? auth : { ...auth, password_sealed: resealed.auth_password_sealed };
    default:
      return assertNever(auth);
  }
}
