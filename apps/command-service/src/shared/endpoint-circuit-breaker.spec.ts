import { circuitBreakerProblems, circuitBreakerSettings } from './endpoint-circuit-breaker';

describe("an endpoint's own circuit-breaker thresholds", () => {
  it('accepts absent, null (the deployment\'s), an empty object and any set of thresholds in bounds', () => {
    for (const input of [undefined, null, {}, { failure_ratio: 1 }, { failure_ratio: 0.01, minimum_attempts: 1, window_seconds: 0.1, open_seconds: 86_400 }]) {
      expect(circuitBreakerProblems(input)).toEqual([]);
    }
  });

  it('names each offending threshold by its pointer', () => {
    expect(circuitBreakerProblems({ failure_ratio: 0, minimum_attempts: 2.5, window_seconds: '60', open_seconds: 86_401, probes: 2 })).toEqual([
      { pointer: '/circuit_breaker/failure_ratio', detail: 'a number from 0.01 to 1' },
      { pointer: '/circuit_breaker/minimum_attempts', detail: 'an integer from 1 to 100000' },
      { pointer: '/circuit_breaker/window_seconds', detail: 'a number from 0.1 to 86400' },
      { pointer: '/circuit_breaker/open_seconds', detail: 'a number from 0.1 to 86400' },
      { pointer: '/circuit_breaker/probes', detail: 'unknown threshold; known: failure_ratio, minimum_attempts, window_seconds, open_seconds' },
    ]);
    expect(circuitBreakerProblems([0.5])).toEqual([{ pointer: '/circuit_breaker', detail: "an object of thresholds, or null for the deployment's" }]);
    expect(circuitBreakerProblems({ failure_ratio: Number.NaN })).toHaveLength(1);
  });

  it('travels with only the thresholds that were set', () => {
    expect(circuitBreakerSettings({ failure_ratio: 0.3, minimum_attempts: undefined, open_seconds: null })).toEqual({ failure_ratio: 0.3 });
  });
});
