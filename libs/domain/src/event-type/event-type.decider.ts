import { EventTypeEvent } from '@hookline/contracts';
import { Decision, accept, assertNever, refuse } from '../shared/decision';
import { schemaBreakingChanges } from './schema-compatibility';

export interface SchemaVersion {
  version: number;
  schema: Record<string, unknown>;
}

export interface EventTypeState {
  status: 'absent' | 'active' | 'deleted';
  name: string;
  description: string;
  requiresApproval: boolean;
  schemas: SchemaVersion[];
  deprecated: boolean;
  sunsetAt: string | null;
  version: number;
}

/** Event-type names: lowercase dotted words, e.g. `invoice.paid`. */
export const EVENT_TYPE_NAME = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*){0,7}$/;

export type EventTypeCommand =
  | { type: 'CreateEventType'; data: { name: string; description: string; schema: Record<string, unknown> | null; requires_approval: boolean } }
  | { type: 'UpdateEventType'; data: { description?: string; requires_approval?: boolean } }
  | { type: 'PublishSchema'; data: { schema: Record<string, unknown>; force: boolean } }
  | { type: 'DeprecateEventType'; data: { sunset_at: string | null } }
  | { type: 'DeleteEventType'; data: Record<string, never> };

/** An event type that has never existed. */
export const initialEventTypeState = (): EventTypeState => ({
  status: 'absent',
  name: '',
  description: '',
  requiresApproval: false,
  schemas: [],
  deprecated: false,
  sunsetAt: null,
  version: 0,
});

/** The newest schema of an event type, or null when payloads are not validated. */
export function currentSchema(state: EventTypeState): SchemaVersion | null {
  return state.schemas.length ? state.schemas[state.schemas.length - 1] : null;
}

/** Event-type rules: unique names, and schema versions that stay backward compatible unless forced. */
export function decideEventType(command: EventTypeCommand, state: EventTypeState): Decision<EventTypeEvent> {
  switch (command.type) {
    case 'CreateEventType':
      if (state.status === 'active') return refuse('already_exists', `event type "${command.data.name}" already exists`, { field: '/name' });
      if (!EVENT_TYPE_NAME.test(command.data.name)) {
        return refuse('invalid', 'event type name must be lowercase dotted words like "invoice.paid"', { field: '/name' });
      }
      return accept({ type: 'event_type.created.v1', data: { ...command.data } });
    case 'UpdateEventType':
      if (state.status !== 'active') return refuse('not_found', 'event type not found');
      if (command.data.description === undefined && command.data.requires_approval === undefined) return accept();
      return accept({ type: 'event_type.updated.v1', data: { name: state.name, ...command.data } });
    case 'PublishSchema': {
      if (state.status !== 'active') return refuse('not_found', 'event type not found');
      const current = currentSchema(state);
      const breaking = current ? schemaBreakingChanges(current.schema, command.data.schema) : [];
      if (breaking.length && !command.data.force) {
        return refuse('incompatible_schema', `the new schema breaks payloads valid under version ${current!.version}; publish with force=true to accept`, {
          field: '/schema',
          details: breaking,
        });
      }
      const version = (current?.version ?? 0) + 1;
      return accept({
        type: 'event_type.schema_published.v1',
        data: { name: state.name, version, schema: command.data.schema, breaking_changes: breaking },
      });
    }
    case 'DeprecateEventType':
      if (state.status !== 'active') return refuse('not_found', 'event type not found');
      return accept({ type: 'event_type.deprecated.v1', data: { name: state.name, sunset_at: command.data.sunset_at } });
    case 'DeleteEventType':
      if (state.status !== 'active') return refuse('not_found', 'event type not found');
      return accept({ type: 'event_type.deleted.v1', data: { name: state.name } });
    default:
      return assertNever(command);
  }
}

/** Applies one event-type event. */
export function evolveEventType(state: EventTypeState, event: EventTypeEvent): EventTypeState {
  const version = state.version + 1;
  switch (event.type) {
    case 'event_type.created.v1':
      return {
        status: 'active',
        name: event.data.name,
        description: event.data.description,
        requiresApproval: event.data.requires_approval,
        schemas: event.data.schema ? [{ version: 1, schema: event.data.schema }] : [],
        deprecated: false,
        sunsetAt: null,
        version,
      };
    case 'event_type.updated.v1':
      return {
        ...state,
        description: event.data.description ?? state.description,
        requiresApproval: event.data.requires_approval ?? state.requiresApproval,
        version,
      };
    case 'event_type.schema_published.v1':
      return { ...state, schemas: [...state.schemas, { version: event.data.version, schema: event.data.schema }], version };
    case 'event_type.deprecated.v1':
      return { ...state, deprecated: true, sunsetAt: event.data.sunset_at, version };
    case 'event_type.deleted.v1':
      return { ...state, status: 'deleted', version };
    default:
      return assertNever(event);
  }
}
