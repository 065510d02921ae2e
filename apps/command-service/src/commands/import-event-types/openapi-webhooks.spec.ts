import { SchemaRegistry } from '../../infrastructure/schemas/schema-registry';
import { inlineRefs, resolveLocalRef } from './openapi-refs';
import { payloadSchemaOf, toJsonSchema } from './openapi-schema';
import { WebhookEntry, webhooksOf } from './openapi-webhooks';
import { webhookProblems } from './webhook-checks';

const LIMITS = { maxWebhooks: 1000, maxSchemaBytes: 256 * 1024 };

const jsonBody = (schema: unknown) => ({ requestBody: { content: { 'application/json': { schema } } } });
const openApi31 = (webhooks: Record<string, unknown>, components: Record<string, unknown> = {}) => ({
  openapi: '3.1.0', info: { title: 'Billing', version: '1' }, webhooks, components: { schemas: components },
});
const openApi30 = (webhooks: Record<string, unknown>, components: Record<string, unknown> = {}) => ({
  openapi: '3.0.3', info: { title: 'Billing', version: '1' }, paths: {}, 'x-webhooks': webhooks, components: { schemas: components },
});
const INVOICE = { type: 'object', required: ['id'], properties: { id: { type: 'string' }, amount: { type: 'integer' } } };

describe('the webhooks of an OpenAPI document, as event types', () => {
  it('names each event type by its webhook key, with the summary (else the description) and the JSON body schema', () => {
    const scan = webhooksOf(openApi31({
      'invoice.paid': { post: { summary: 'An invoice was paid', description: 'Long text', ...jsonBody(INVOICE) } },
      'invoice.voided': { post: { description: '  Voided.  ', ...jsonBody({ type: 'object' }) } },
      'ping': { post: { operationId: 'ping' } },
    }), LIMITS);
    expect(scan.problems).toEqual([]);
    expect(scan.entries).toEqual([
      {
        name: 'invoice.paid', description: 'An invoice was paid', schema: INVOICE,
        pointers: {
          name: '/spec/webhooks/invoice.paid',
          description: '/spec/webhooks/invoice.paid/post/summary',
          schema: '/spec/webhooks/invoice.paid/post/requestBody/content/application~1json/schema',
        },
      },
      expect.objectContaining({ name: 'invoice.voided', description: 'Voided.', schema: { type: 'object' } }),
      // No body described: payloads of the type are not validated.
      expect.objectContaining({ name: 'ping', description: '', schema: null }),
    ]);
  });

  it('reads 3.0 documents from x-webhooks, and turns their schema dialect into JSON Schema 2020-12', () => {
    const scan = webhooksOf(openApi30({
      'invoice.paid': { post: jsonBody({ $ref: '#/components/schemas/Invoice' }) },
    }, {
      Invoice: {
        type: 'object',
        properties: {
          note: { type: 'string', nullable: true, example: 'paid early' },
          status: { type: 'string', enum: ['paid', 'late'], nullable: true },
          amount: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: false },
          lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
        },
      },
      Line: { type: 'object', properties: { sku: { type: 'string' } }, description: 'one line' },
    }), LIMITS);
    expect(scan.problems).toEqual([]);
    expect(scan.entries[0].schema).toEqual({
      type: 'object',
      properties: {
        note: { type: ['string', 'null'], examples: ['paid early'] },
        status: { type: ['string', 'null'], enum: ['paid', 'late', null] },
        amount: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, description: 'one line' } },
      },
    });
    // 3.1 documents are read from `webhooks` only.
    expect(webhooksOf({ ...openApi30({ 'a.b': { post: {} } }), openapi: '3.1.0' }, LIMITS).problems)
      .toEqual([{ pointer: '/spec/webhooks', detail: expect.stringContaining('no webhooks') }]);
  });

  it('keeps keywords beside a $ref in 3.1 (annotations merged, others with allOf) and drops them in 3.0', () => {
    const components = { Money: { type: 'integer', minimum: 0 } };
    const body = { type: 'object', properties: { amount: { $ref: '#/components/schemas/Money', description: 'cents' }, fee: { $ref: '#/components/schemas/Money', maximum: 5 } } };
    const [v31] = webhooksOf(openApi31({ 'a.b': { post: jsonBody(body) } }, components), LIMITS).entries;
    expect(v31.schema).toEqual({
      type: 'object',
      properties: { amount: { type: 'integer', minimum: 0, description: 'cents' }, fee: { maximum: 5, allOf: [{ type: 'integer', minimum: 0 }] } },
    });
    const [v30] = webhooksOf(openApi30({ 'a.b': { post: jsonBody(body) } }, components), LIMITS).entries;
    expect(v30.schema).toEqual({ type: 'object', properties: { amount: { type: 'integer', minimum: 0 }, fee: { type: 'integer', minimum: 0 } } });
  });

  it('follows $refs to path items and request bodies, and inlines nested ones', () => {
    const spec = {
      ...openApi31({ 'invoice.paid': { $ref: '#/components/pathItems/InvoicePaid' } }, { Invoice: INVOICE, Paid: { allOf: [{ $ref: '#/components/schemas/Invoice' }] } }),
    };
    (spec.components as Record<string, unknown>).pathItems = { InvoicePaid: { post: { requestBody: { $ref: '#/components/requestBodies/Paid' } } } };
    (spec.components as Record<string, unknown>).requestBodies = { Paid: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Paid' } } } } };
    const scan = webhooksOf(spec, LIMITS);
    expect(scan.problems).toEqual([]);
    expect(scan.entries[0].schema).toEqual({ allOf: [INVOICE] });
  });

  it('takes data\'s schema from a Standard Webhooks envelope {type, timestamp, data}: Hookline sends that envelope itself', () => {
    const envelope = (type: unknown, extra: Record<string, unknown> = {}) => ({
      type: 'object',
      required: ['type', 'timestamp', 'data'],
      properties: { type, timestamp: { type: 'string', format: 'date-time' }, data: { $ref: '#/components/schemas/Invoice' }, ...extra },
    });
    const scan = webhooksOf(openApi31({
      'invoice.paid': { post: jsonBody(envelope({ type: 'string', const: 'invoice.paid' })) },
      'invoice.voided': { post: jsonBody(envelope({ type: 'string', enum: ['invoice.paid'] })) },
      'invoice.sent': { post: jsonBody(envelope({ type: 'string' }, { id: { type: 'string' } })) },
    }, { Invoice: INVOICE }), LIMITS);
    expect(scan.entries).toEqual([expect.objectContaining({ name: 'invoice.paid', schema: INVOICE })]);
    expect(scan.problems).toEqual([
      { pointer: '/spec/webhooks/invoice.voided/post/requestBody/content/application~1json/schema', detail: expect.stringMatching(/type is fixed to "invoice.paid".*"invoice.voided"/) },
      { pointer: '/spec/webhooks/invoice.sent/post/requestBody/content/application~1json/schema', detail: expect.stringContaining('other top-level properties (id)') },
    ]);
    // A payload that merely has a type and data (no timestamp) is a payload.
    const payload = { type: 'object', properties: { type: { type: 'string' }, data: { type: 'object' } } };
    expect(payloadSchemaOf(payload, 'card.added')).toEqual({ schema: payload });
  });

  it('refuses a $ref cycle, naming the reference, and references it cannot follow', () => {
    const scan = webhooksOf(openApi31({
      'tree.changed': { post: jsonBody({ $ref: '#/components/schemas/Node' }) },
      'a.external': { post: jsonBody({ $ref: 'https://example.com/schemas.json#/Invoice' }) },
      'a.missing': { post: jsonBody({ type: 'object', properties: { x: { $ref: '#/components/schemas/Nope' } } }) },
      'a.proto': { post: jsonBody({ $ref: '#/components/schemas/__proto__' }) },
    }, { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } } }), LIMITS);
    expect(scan.entries).toEqual([]);
    expect(scan.problems.map((p) => [p.pointer.split('/')[3], p.detail])).toEqual([
      ['tree.changed', '$ref "#/components/schemas/Node" refers back to itself (#/components/schemas/Node → #/components/schemas/Node): a recursive schema can\'t be inlined'],
      ['a.external', expect.stringContaining('points outside the document')],
      ['a.missing', '$ref "#/components/schemas/Nope" names nothing in the document'],
      ['a.proto', '$ref "#/components/schemas/__proto__" names nothing in the document'],
    ]);
  });

  it('stops a schema that $refs make grow past the size one event type may have', () => {
    // Each level doubles the one below it: 2^30 values once inlined, from a document of 30 lines.
    const components: Record<string, unknown> = { L0: { type: 'string' } };
    for (let i = 1; i <= 30; i++) components[`L${i}`] = { type: 'object', properties: { a: { $ref: `#/components/schemas/L${i - 1}` }, b: { $ref: `#/components/schemas/L${i - 1}` } } };
    const scan = webhooksOf(openApi31({ 'a.big': { post: jsonBody({ $ref: '#/components/schemas/L30' }) } }, components), { ...LIMITS, maxSchemaBytes: 10_000 });
    expect(scan.problems).toEqual([{ pointer: expect.stringContaining('/a.big/'), detail: 'holds more than 5000 values once its $refs are inlined' }]);
    const wide = webhooksOf(openApi31({ 'a.wide': { post: jsonBody({ description: 'x'.repeat(2000) }) } }), { ...LIMITS, maxSchemaBytes: 1000 });
    expect(wide.problems).toEqual([{ pointer: expect.any(String), detail: 'the schema is 2018 bytes once its $refs are inlined; an event type\'s schema may be 1000 at most' }]);
  });

  it('names what is not an importable document or webhook', () => {
    expect(webhooksOf({ swagger: '2.0' }, LIMITS).problems).toEqual([{ pointer: '/spec/openapi', detail: expect.stringContaining('OpenAPI 3.0 or 3.1') }]);
    expect(webhooksOf(openApi31({}), LIMITS).problems).toEqual([{ pointer: '/spec/webhooks', detail: expect.stringContaining('callbacks are not imported') }]);
    expect(webhooksOf(openApi31({ a: {}, b: {}, c: {} }), { ...LIMITS, maxWebhooks: 2 }).problems)
      .toEqual([{ pointer: '/spec/webhooks', detail: '3 webhooks; at most 2 are imported at once' }]);
    const scan = webhooksOf(openApi31({
      'a.get': { get: {} },
      'a.form': { post: { requestBody: { content: { 'application/x-www-form-urlencoded': { schema: {} } } } } },
      'a.vendor': { post: { requestBody: { content: { 'application/vnd.acme+json; charset=utf-8': { schema: { type: 'object' } } } } } },
      'a/b': 'not a path item',
    }), LIMITS);
    expect(scan.problems).toEqual([
      { pointer: '/spec/webhooks/a.get', detail: 'has no post operation: Hookline sends webhooks as POST requests (found get)' },
      { pointer: '/spec/webhooks/a.form/post/requestBody/content', detail: expect.stringContaining('found application/x-www-form-urlencoded') },
      { pointer: '/spec/webhooks/a~1b', detail: 'must be a Path Item Object with a post operation' },
    ]);
    expect(scan.entries.map((e) => e.name)).toEqual(['a.vendor']);
  });
});

describe('the checks of POST /event-types, applied to each webhook', () => {
  const schemas = new SchemaRegistry();
  const entry = (name: string, schema: unknown, description = ''): WebhookEntry => ({
    name, description, schema, pointers: { name: `/spec/webhooks/${name}`, description: `/spec/webhooks/${name}/post/summary`, schema: `/spec/webhooks/${name}/post/s` },
  });

  it('passes a good webhook', async () => {
    expect(await webhookProblems(entry('invoice.paid', INVOICE, 'Paid'), schemas)).toEqual([]);
    expect(await webhookProblems(entry('ping', null), schemas)).toEqual([]);
  });

  it('refuses names the decider refuses, and names past 128 characters, at the webhook key', async () => {
    expect(await webhookProblems(entry('Invoice Paid', null), schemas))
      .toEqual([{ pointer: '/spec/webhooks/Invoice Paid', detail: 'event type name must be lowercase dotted words like "invoice.paid"' }]);
    const long = `a.${'b'.repeat(130)}`;
    expect(await webhookProblems(entry(long, null), schemas)).toEqual([{ pointer: `/spec/webhooks/${long}`, detail: expect.stringContaining('128') }]);
  });

  it('refuses a schema that does not compile and a description past 2000 characters, where they are', async () => {
    expect(await webhookProblems(entry('a.b', { type: 'wat' }, 'x'.repeat(2001)), schemas)).toEqual([
      { pointer: '/spec/webhooks/a.b/post/summary', detail: expect.stringContaining('2000') },
      { pointer: '/spec/webhooks/a.b/post/s', detail: expect.stringContaining('schema is invalid') },
    ]);
    expect(await webhookProblems(entry('a.b', true), schemas)).toEqual([{ pointer: '/spec/webhooks/a.b/post/s', detail: expect.any(String) }]);
  });
});

describe('local references', () => {
  it('resolve by JSON pointer, escaped and percent-encoded', () => {
    const doc = { components: { schemas: { 'a/b': 1, 'c~d': 2, 'e f': 3 } }, list: [10, 11] };
    expect(resolveLocalRef(doc, '#/components/schemas/a~1b')).toBe(1);
    expect(resolveLocalRef(doc, '#/components/schemas/c~0d')).toBe(2);
    expect(resolveLocalRef(doc, '#/components/schemas/e%20f')).toBe(3);
    expect(resolveLocalRef(doc, '#/list/1')).toBe(11);
    expect(resolveLocalRef(doc, '#/components/toString')).toBeUndefined();
    expect(resolveLocalRef(doc, '#/%E0%A4%A')).toBeUndefined();
  });

  it('leave data keywords alone: a $ref inside an example is text, but a property named default is a schema', () => {
    const schema = { type: 'object', examples: [{ $ref: '#/nowhere' }], default: { $ref: '#/nowhere' } };
    expect(inlineRefs({}, schema, { refSiblings: 'applied', maxValues: 100 })).toEqual(schema);
    const named = { type: 'object', properties: { default: { $ref: '#/$defs/flag' }, enum: { $ref: '#/$defs/flag' } } };
    expect(inlineRefs({ $defs: { flag: { type: 'boolean' } } }, named, { refSiblings: 'applied', maxValues: 100 }))
      .toEqual({ type: 'object', properties: { default: { type: 'boolean' }, enum: { type: 'boolean' } } });
  });

  it('keep a __proto__ key a key', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}');
    const inlined = inlineRefs({}, schema, { refSiblings: 'applied', maxValues: 100 }) as { properties: object };
    expect(Object.keys(inlined.properties)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(inlined.properties)).toBe(Object.prototype);
    expect(toJsonSchema(inlined, '3.0')).toEqual(inlined);
  });
});
