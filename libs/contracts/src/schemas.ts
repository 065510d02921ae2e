import { join } from 'node:path';

/**
 * Path of the published JSON Schema document of every event (envelope + typed data per event type), generated
 * from these TypeScript types by `node libs/contracts/scripts/generate-schemas.js`.
 */
export const EVENT_SCHEMA_PATH = join(__dirname, '..', 'schemas', 'hookline-events.v1.schema.json');

/** Path of the AsyncAPI 2.6 description of Hookline's topics and their messages. */
export const ASYNCAPI_PATH = join(__dirname, '..', 'schemas', 'asyncapi.json');
