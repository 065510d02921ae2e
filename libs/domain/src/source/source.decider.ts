import { SourceEvent, SourceHandshakeV1, SourceId, SourceSettingsV1, SourceVerificationV1 } from '@hookline/contracts';
import { Decision, accept, assertNever, refuse } from '../shared/decision';
import { sourceSettingsProblems } from './source-settings';

export interface SourceState {
  status: 'absent' | 'active' | 'deleted';
  sourceId: SourceId | null;
  settings: SourceSettingsV1;
  version: number;
}

export type SourceCommand =
  | { type: 'CreateSource'; data: { source_id: SourceId; settings: SourceSettingsV1 } }
  /** Fields left out are unchanged; the settings as they will be are checked again as a whole. */
  | { type: 'UpdateSource'; data: Partial<SourceSettingsV1> }
  | { type: 'DeleteSource' }
  /**
   * The source's verification with its secret sealed again under the current key (sealing-key rotation). Refused when
   * the source's verification changed since the caller read it: a secret set since must not be overwritten. The same
   * for a handshake holding a sealed value (Meta's verify token): `handshake` sealed again, `read_handshake` as read.
   */
  | {
      type: 'ResealSource';
      data: { read: SourceVerificationV1; verification: SourceVerificationV1; read_handshake?: SourceHandshakeV1 | null; handshake?: SourceHandshakeV1 };
    };

/** Settings of a source before it is created (never valid as they are: it needs a name and a verification). */
export const EMPTY_SOURCE_SETTINGS: Readonly<SourceSettingsV1> = {
  name: '',
  description: '',
  verification: { type: 'none' },
  event_type: { from: 'field', path: 'type' },
  idempotency: null,
  payload_field: null,
  channels: null,
  enabled: true,
};

/** A source that has never existed. */
export const initialSourceState = (): SourceState => ({ status: 'absent', sourceId: null, settings: EMPTY_SOURCE_SETTINGS, version: 0 });

/** HTTP source rules: valid settings on create and after every update; updates and deletes only while it exists. */
export function decideSource(command: SourceCommand, state: SourceState): Decision<SourceEvent> {
  if (command.type === 'CreateSource') {
    if (state.status !== 'absent') return refuse('already_exists', `source ${command.data.source_id} already exists`);
    const problems = sourceSettingsProblems(command.data.settings);
    if (problems.length) return refuse('invalid', 'the source settings have invalid fields', { details: problems });
    return accept({ type: 'source.created.v1', data: { ...command.data.settings, source_id: command.data.source_id } });
  }
  if (state.status !== 'active') return refuse('not_found', 'source not found');
  const source_id = state.sourceId!;

  switch (command.type) {
    case 'UpdateSource': {
      // Only what changes: an update that sets what is already set is a no-op, as a retry of it must be.
      // A source created before handshakes (or rate limits) has none: the same as null.
      const current = { handshake: null, rate_limit: null, ...state.settings } as unknown as Record<string, unknown>;
      const changes = Object.fromEntries(
        Object.entries(command.data).filter(([field, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(current[field])),
      ) as Partial<SourceSettingsV1>;
      if (Object.keys(changes).length === 0) return accept();
      const problems = sourceSettingsProblems({ ...state.settings, ...changes });
      if (problems.length) return refuse('invalid', 'the source settings have invalid fields', { details: problems });
      return accept({ type: 'source.updated.v1', data: { ...changes, source_id } });
    }
    case 'DeleteSource':
      return accept({ type: 'source.deleted.v1', data: { source_id } });
    case 'ResealSource': {
      const { read, verification, read_handshake, handshake } = command.data;
      const currentHandshake = state.settings.handshake ?? null;
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      if (!same(read, state.settings.verification) || (read_handshake !== undefined && !same(read_handshake, currentHandshake))) {
        return refuse('precondition_failed', 'the source\'s verification or handshake changed since it was read; read it again');
      }
      if (verification.type !== state.settings.verification.type) {
        return refuse('invalid', 'a resealed verification keeps its type', { field: '/verification/type' });
      }
      if (handshake !== undefined && (read_handshake === undefined || handshake.type !== currentHandshake?.type)) {
        return refuse('invalid', 'a resealed handshake keeps its type, and names the one it read', { field: '/handshake/type' });
      }
      const changes: Partial<SourceSettingsV1> = {
        ...(same(verification, state.settings.verification) ? {} : { verification }),
        ...(handshake === undefined ? {} : { handshake }),
      };
      return Object.keys(changes).length ? accept({ type: 'source.updated.v1', data: { source_id, ...changes } }) : accept();
    }
    default:
      return assertNever(command);
  }
}

/** Applies one source event. */
export function evolveSource(state: SourceState, event: SourceEvent): SourceState {
  const version = state.version + 1;
  switch (event.type) {
    case 'source.created.v1': {
      const { source_id, ...settings } = event.data;
      return { status: 'active', sourceId: source_id, settings, version };
    }
    case 'source.updated.v1': {
      const { source_id: _id, ...changes } = event.data;
      return { ...state, settings: { ...state.settings, ...changes }, version };
    }
    case 'source.deleted.v1':
      return { ...state, status: 'deleted', version };
    default:
      return assertNever(event);
  }
}
