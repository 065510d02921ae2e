// Test-only: Given / When / Then for deciders. Not exported from index.ts, so no app can depend on it.
import { Decision, DomainError, DomainErrorCode, fold } from './decision';

/** The three functions of a decider, as a spec drives them. */
export interface Decider<C, E, S> {
  decide: (command: C, state: S) => Decision<E>;
  evolve: (state: S, event: E) => S;
  initialState: () => S;
}

/** What a command should produce: these events (none for an idempotent no-op), or a refusal with this code or these error fields. */
export type Expectation<E> = readonly E[] | DomainErrorCode | (Partial<DomainError> & { code: DomainErrorCode });

export interface Given<C, E, S> {
  /** The state the history folds into, for assertions on evolve. */
  state: S;
  when(command: C): When<E, S>;
}

export interface When<E, S> {
  /** Asserts the decision, and returns it with the state after its events for further checks. */
  then(expected: Expectation<E>): { decision: Decision<E>; state: S };
}

/**
 * `given(history).when(command).then(events | error)` for one decider. An error expectation is matched partially:
 * `'not_found'` checks only the code, `{ code, details }` checks those fields (arrays exactly).
 */
export function givenWhenThen<C, E, S>(decider: Decider<C, E, S>): (history?: readonly E[]) => Given<C, E, S> {
  return (history = []) => {
    const state = fold(decider.evolve, decider.initialState(), history);
    return {
      state,
      when: (command) => ({
        then: (expected) => {
          const decision = decider.decide(command, state);
          if (Array.isArray(expected)) {
            expect(decision).toEqual({ ok: true, events: expected });
          } else {
            const error = typeof expected === 'string' ? { code: expected } : expected;
            expect(decision).toMatchObject({ ok: false, error });
          }
          // Folding what was decided proves evolve accepts every event decide can produce.
          const after = decision.ok ? fold(decider.evolve, state, decision.events) : state;
          return { decision, state: after };
        },
      }),
    };
  };
}
