/** Why a command was refused, in terms the transports map to HTTP and gRPC status codes in one place. */
export type DomainErrorCode =
  | 'not_found'
  | 'already_exists'
  | 'version_conflict'
  | 'precondition_failed'
  | 'invalid'
  | 'incompatible_schema';

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** JSON pointer of the offending field, when one field is at fault. */
  field?: string;
  details?: string[];
}

export type Decision<E> = { ok: true; events: E[] } | { ok: false; error: DomainError };

/** The command is accepted and produces these events (possibly none: an idempotent no-op). */
export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });
/** The command is refused; no event is produced. */
export const refuse = <E>(code: DomainErrorCode, message: string, extra: Omit<DomainError, 'code' | 'message'> = {}): Decision<E> => ({
  ok: false,
  error: { code, message, ...extra },
});

/** Compile-time exhaustiveness: a forgotten case in a switch over a union fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** Every aggregate state carries its version: the number of events applied to it. */
export interface Versioned {
  version: number;
}

/**
 * Optimistic concurrency: an update names the version it was based on; a stale one is refused so two writers
 * can't silently overwrite each other.
 */
export function checkExpectedVersion(state: Versioned, expected: number | undefined): DomainError | null {
  if (expected === undefined || expected === state.version) return null;
  return {
    code: 'version_conflict',
    message: `expected version ${expected} but the resource is at version ${state.version}; re-read it and retry`,
    field: 'If-Match',
  };
}

/** Folds events into a state with an evolve function. */
export function fold<S, E>(evolve: (s: S, e: E) => S, initial: S, events: readonly E[]): S {
  return events.reduce(evolve, initial);
}
