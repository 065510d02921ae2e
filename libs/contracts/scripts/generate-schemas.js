#!/usr/bin/env node
// Generates the published contract from the TypeScript event types: one JSON Schema document for every event
// (envelope + typed data, by event type) and an AsyncAPI 2.6 description of the topics. Run after changing an
// event: `node libs/contracts/scripts/generate-schemas.js`; a test fails while the committed files are stale.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createGenerator } = require('ts-json-schema-generator');

const LIB = path.resolve(__dirname, '..');

function generate() {
  const gen = createGenerator({
    path: path.join(LIB, 'src', 'index.ts'),
    tsconfig: path.join(LIB, 'tsconfig.json'),
    type: '*',
    skipTypeCheck: true,
    expose: 'export',
    topRef: false,
    jsDoc: 'extended',
    additionalProperties: false,
  });
  const bodies = gen.createSchema('HooklineEvent');
  const envelope = gen.createSchema('AnyEnvelope');
  const definitions = { ...bodies.definitions, ...envelope.definitions };
  let envelopeDef = envelope.definitions?.AnyEnvelope ?? envelope;
  const envelopeRef = envelopeDef.$ref && decodeURIComponent(envelopeDef.$ref.replace('#/definitions/', ''));
  if (envelopeRef) envelopeDef = definitions[envelopeRef];
  // The union nests (ConfigEvent = TenantEvent | …): flatten it to the event bodies, the leaves with a `type` const.
  const unions = new Set();
  const leaves = (node) =>
    node.anyOf.flatMap((r) => {
      const name = r.$ref.replace('#/definitions/', '');
      if (definitions[name].anyOf) {
        unions.add(name);
        return leaves(definitions[name]);
      }
      return [name];
    });
  const refs = leaves(definitions.HooklineEvent ?? bodies);
  const events = {};
  for (const name of refs) {
    const body = definitions[name];
    const type = body.properties.type.const;
    events[type] = {
      title: name,
      description: body.description,
      type: 'object',
      required: envelopeDef.required,
      additionalProperties: false,
      properties: { ...envelopeDef.properties, type: { type: 'string', const: type }, data: body.properties.data },
    };
  }
  delete definitions.AnyEnvelope;
  if (envelopeRef) delete definitions[envelopeRef];
  delete definitions.HooklineEvent;
  for (const name of [...refs, ...unions]) delete definitions[name];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://hookline.dev/schemas/hookline-events.v1.json',
    title: 'Hookline events',
    description: 'Every event on Hookline topics: the envelope with the typed data of its event type. Generated from libs/contracts.',
    oneOf: Object.keys(events).map((t) => ({ $ref: `#/definitions/events/${t}` })),
    definitions: { ...definitions, events },
  };
}

function asyncApi(schema) {
  require('@swc-node/register');
  const { topicSpecs } = require(path.join(LIB, 'src', 'topics.ts'));
  const channels = {};
  const byPrefix = {
    config: ['tenant.', 'api_key.', 'event_type.', 'endpoint.created', 'endpoint.updated', 'endpoint.deleted', 'endpoint.enabled', 'endpoint.disabled', 'endpoint.secret_rotated', 'endpoint.approved', 'endpoint.rejected', 'endpoint.event_types_declined', 'endpoint.resealed', 'source.created', 'source.updated', 'source.deleted'],
    messages: ['message.', 'endpoint.recovery_requested'],
    deliveries: ['delivery.attempted', 'delivery.parked', 'delivery.dead_lettered', 'delivery.dropped'],
    operational: ['endpoint.auto_disabled', 'delivery.attempts_exhausted', 'delivery.attempts_failing', 'delivery.recovered', 'endpoint.breaker_changed', 'endpoint.client_certificate_expiring', 'source.request_refused'],
    deadLetters: ['delivery.dead_lettered'],
  };
  const types = Object.keys(schema.definitions.events);
  // A new event type must be placed on its topic here, or the AsyncAPI document would not list it anywhere.
  const unplaced = types.filter((t) => !Object.values(byPrefix).some((prefixes) => prefixes.some((p) => t.startsWith(p))));
  if (unplaced.length) throw new Error(`event types on no topic in asyncApi(): ${unplaced.join(', ')}`);
  for (const spec of topicSpecs()) {
    const onTopic = types.filter((t) => byPrefix[spec.key].some((p) => t.startsWith(p)));
    channels[spec.name] = {
      description: `${spec.description} Key: ${spec.keyedBy}. Retention: ${spec.retentionMs < 0 ? 'forever' : `${spec.retentionMs / 86400000} days`}.`,
      subscribe: { message: { oneOf: onTopic.map((t) => ({ $ref: `#/components/messages/${t}` })) } },
    };
  }
  const messages = {};
  for (const t of types) {
    messages[t] = {
      name: t,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          'hookline-event-type': { type: 'string' },
          'hookline-event-id': { type: 'string' },
          'hookline-tenant-id': { type: 'string' },
          traceparent: { type: 'string', description: 'W3C trace context of the producer' },
        },
      },
      payload: { $ref: `hookline-events.v1.schema.json#/definitions/events/${t}` },
    };
  }
  return {
    asyncapi: '2.6.0',
    info: { title: 'Hookline topics', version: '1.0.0', description: 'Public, versioned Kafka topics of Hookline. A breaking change is a new topic version.' },
    channels,
    components: { messages },
  };
}

function render() {
  const schema = generate();
  return {
    'hookline-events.v1.schema.json': `${JSON.stringify(schema, null, 2)}\n`,
    'asyncapi.json': `${JSON.stringify(asyncApi(schema), null, 2)}\n`,
  };
}

module.exports = { render, SCHEMA_DIR: path.join(LIB, 'schemas') };

if (require.main === module) {
  for (const [file, text] of Object.entries(render())) fs.writeFileSync(path.join(LIB, 'schemas', file), text);
  console.log('libs/contracts/schemas written');
}
