/**
 * @hookline/domain — the rules of Hookline's configuration aggregates as pure deciders
 * (`decide(command, state) → events`, `evolve(state, event) → state`), plus fan-out matching.
 */
export * from './shared/decision';
export * from './tenant/tenant.decider';
export * from './api-key/api-key.decider';
export * from './event-type/event-type.decider';
export * from './event-type/schema-compatibility';
export { examplePayload } from './event-type/example-payload';
export * from './endpoint/endpoint.decider';
export * from './fan-out/payload-filter';
export * from './fan-out/subscription';
export * from './source/source.decider';
export * from './source/source-settings';
