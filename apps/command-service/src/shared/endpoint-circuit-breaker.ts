import { EndpointCircuitBreakerV1 } from '@hookline/contracts';
import { FieldProblem } from '@hookline/service-kit';

type Field = keyof EndpointCircuitBreakerV1;

// The bounds mirror what the dispatcher accepts for its own BREAKER_* settings, capped at a day: a breaker that stays
// open longer than that is better expressed by disabling the endpoint.
const BOUNDS: Record<Field, { min: number; max: number; integer: boolean; description: string }> = {
  failure_ratio: { min: 0.01, max: 1, integer: false, description: 'share of failed attempts in the window that opens the breaker' },
  minimum_attempts: { min: 1, max: 100_000, integer: true, description: 'attempts in the window before the share counts' },
  window_seconds: { min: 0.1, max: 86_400, integer: false, description: 'sliding window the share is measured over' },
  open_seconds: { min: 0.1, max: 86_400, integer: false, description: 'how long an open breaker turns attempts away before one probe goes' },
};

/** The thresholds as OpenAPI documents them: the bounds circuitBreakerProblems checks. */
export const CIRCUIT_BREAKER_PROPERTIES = Object.fromEntries(Object.entries(BOUNDS).map(([name, b]) => [name, {
  type: b.integer ? ('integer' as const) : ('number' as const), minimum: b.min, maximum: b.max, description: b.description,
}]));

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
