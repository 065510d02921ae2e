import { EndpointCircuitBreakerV1 } from '@hookline/contracts';
import { FieldProblem } from '@hookline/service-kit';

type Field = keyof EndpointCircuitBreakerV1;

// The bounds mirror what the dispatcher accepts for its own BREAKER_* settings, capped at a day: a breaker that stays
// open longer than that is better expressed by disabling the endpoint.
const BOUNDS: Record<Field, { min: number; max: number; integer: boolean }> = {
  failure_ratio: { min: 0.01, max: 1, integer: false },
  minimum_attempts: { min: 1, max: 100_000, integer: true },
  window_seconds: { min: 0.1, max: 86_400, integer: false },
  open_seconds: { min: 0.1, max: 86_400, integer: false },
};

/**
 * What is wrong with an endpoint's own circuit-breaker thresholds (`circuit_breaker`), each problem with its JSON
 * pointer. Absent and null (back to the deployment's) are fine; every field of the object is optional.
 */
export function circuitBreakerProblems(input: unknown): FieldProblem[] {
  if (input === undefined || input === null) return [];
  if (typeof input !== 'object' || Array.isArray(input)) return [{ pointer: '/circuit_breaker', detail: 'an object of thresholds, or null for the deployment\'s' }];
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(input)) {
    const bounds = BOUNDS[key as Field];
    const pointer = `/circuit_breaker/${key}`;
    if (!bounds) {
      problems.push({ pointer, detail: `unknown threshold; known: ${Object.keys(BOUNDS).join(', ')}` });
    } else if (typeof value !== 'number' || !Number.isFinite(value) || (bounds.integer && !Number.isInteger(value)) || value < bounds.min || value > bounds.max) {
      problems.push({ pointer, detail: `${bounds.integer ? 'an integer' : 'a number'} from ${bounds.min} to ${bounds.max}` });
    }
  }
  return problems;
}

/** Checked thresholds as they travel in events: only the fields that were set. */
export function circuitBreakerSettings(input: Partial<Record<Field, number | null | undefined>>): EndpointCircuitBreakerV1 {
  const out: EndpointCircuitBreakerV1 = {};
  for (const key of Object.keys(BOUNDS) as Field[]) {
    const value = input[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
