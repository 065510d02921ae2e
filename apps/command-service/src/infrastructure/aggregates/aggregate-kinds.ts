import { ApiKeyEvent, ConfigEvent, EndpointEvent, EventTypeEvent, SourceEvent, TenantEvent } from '@hookline/contracts';
import {
  ApiKeyCommand,
  ApiKeyState,
  Decision,
  EndpointCommand,
  EndpointState,
  EventTypeCommand,
  EventTypeState,
  SourceCommand,
  SourceState,
  TenantCommand,
  TenantState,
  decideApiKey,
  decideEndpoint,
  decideEventType,
  decideSource,
  decideTenant,
  evolveApiKey,
  evolveEndpoint,
  evolveEventType,
  evolveSource,
  evolveTenant,
  initialApiKeyState,
  initialEndpointState,
  initialEventTypeState,
  initialSourceState,
  initialTenantState,
} from '@hookline/domain';

/** How one aggregate kind decides and evolves; the store is generic over these. */
export interface AggregateKind<S, C, E> {
  kind: string;
  initial(): S;
  decide(command: C, state: S): Decision<E>;
  evolve(state: S, event: E): S;
}

export const TENANT: AggregateKind<TenantState, TenantCommand, TenantEvent> = {
  kind: 'tenant',
  initial: initialTenantState,
  decide: decideTenant,
  evolve: evolveTenant,
};
export const API_KEY: AggregateKind<ApiKeyState, ApiKeyCommand, ApiKeyEvent> = {
  kind: 'api_key',
  initial: initialApiKeyState,
  decide: decideApiKey,
  evolve: evolveApiKey,
};
export const EVENT_TYPE: AggregateKind<EventTypeState, EventTypeCommand, EventTypeEvent> = {
  kind: 'event_type',
  initial: initialEventTypeState,
  decide: decideEventType,
  evolve: evolveEventType,
};
export const ENDPOINT: AggregateKind<EndpointState, EndpointCommand, EndpointEvent> = {
  kind: 'endpoint',
  initial: initialEndpointState,
  decide: decideEndpoint,
  evolve: evolveEndpoint,
};
export const SOURCE: AggregateKind<SourceState, SourceCommand, SourceEvent> = {
  kind: 'source',
  initial: initialSourceState,
  decide: decideSource,
  evolve: evolveSource,
};

/** The aggregate kind a config event belongs to (used when the write model is rebuilt from the log). */
export function kindOfEvent(event: ConfigEvent): AggregateKind<unknown, unknown, ConfigEvent> {
  const prefix = event.type.slice(0, event.type.indexOf('.'));
  const kinds: Record<string, AggregateKind<never, never, never>> = {
    tenant: TENANT as never,
    api_key: API_KEY as never,
    event_type: EVENT_TYPE as never,
    endpoint: ENDPOINT as never,
    source: SOURCE as never,
  };
  const k = kinds[prefix];
  if (!k) throw new Error(`no aggregate for event type ${event.type}`);
  return k as unknown as AggregateKind<unknown, unknown, ConfigEvent>;
}

/** Admin API keys belong to no tenant; their events carry this empty tenant id. */
export const NO_TENANT = '';
