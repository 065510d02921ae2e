/**
 * @hookline/contracts — the public, versioned contract of Hookline's Kafka topics: ids, the event envelope,
 * every event type, topic names, and their JSON Schemas.
 */
export * from './ids';
export * from './envelope';
export * from './topics';
export * from './events';
export * from './codec';
export * from './position';
export * from './schemas';
