import { EventTypeState, evolveEventType, fold, initialEventTypeState } from '@hookline/domain';
import { EventTypeEvent } from '@hookline/contracts';
import { ImportOptions, planImport } from './import-plan';
import { WebhookEntry } from './openapi-webhooks';

const V1 = { type: 'object', properties: { id: { type: 'string' } } };
const V2 = { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'integer' } } };
const BREAKING = { type: 'object', properties: { id: { type: 'integer' } } };

const entry = (name: string, schema: unknown, description = ''): WebhookEntry => ({
  name, description, schema, pointers: { name: `/spec/webhooks/${name}`, description: `/spec/webhooks/${name}/post/summary`, schema: `/spec/webhooks/${name}/post/s` },
});

/** Given: the tenant's event types, each made by these events. */
const given = (...types: EventTypeEvent[][]): Map<string, EventTypeState> =>
  new Map(types.map((events) => {
    const state = fold(evolveEventType, initialEventTypeState(), events);
    return [state.name, state];
  }));
const created = (name: string, schema: Record<string, unknown> | null, description = ''): EventTypeEvent =>
  ({ type: 'event_type.created.v1', data: { name, description, schema, requires_approval: false } });

const CREATE_ONLY: ImportOptions = { updateExisting: false, force: false };
const UPDATE: ImportOptions = { updateExisting: true, force: false };

describe('planning an import over a tenant\'s event types', () => {
  it('given no types, creates every webhook\'s type, with schema version 1 where it has a schema', () => {
    const result = planImport([entry('invoice.paid', V1, 'Paid'), entry('ping', null)], new Map(), CREATE_ONLY);
    expect(result).toEqual({
      ok: true,
      plan: {
        commands: [
          { name: 'invoice.paid', command: { type: 'CreateEventType', data: { name: 'invoice.paid', description: 'Paid', schema: V1, requires_approval: false } } },
          { name: 'ping', command: { type: 'CreateEventType', data: { name: 'ping', description: '', schema: null, requires_approval: false } } },
        ],
        created: [{ name: 'invoice.paid', schema_version: 1 }, { name: 'ping', schema_version: null }],
        updated: [],
        skipped: [],
      },
    });
  });

  it('given a type that exists, skips it unless update_existing', () => {
    const current = given([created('invoice.paid', V1)]);
    const result = planImport([entry('invoice.paid', V2)], current, CREATE_ONLY);
    expect(result).toMatchObject({ ok: true, plan: { commands: [], skipped: [{ name: 'invoice.paid', reason: 'already_exists' }] } });
  });

  it('given a deleted type, creates it again; given a deprecated one, leaves it alone even with update_existing', () => {
    const current = given(
      [created('old.gone', V1), { type: 'event_type.deleted.v1', data: { name: 'old.gone' } }],
      [created('old.sunset', V1), { type: 'event_type.deprecated.v1', data: { name: 'old.sunset', sunset_at: null } }],
    );
    const result = planImport([entry('old.gone', V2), entry('old.sunset', V2)], current, UPDATE);
    expect(result).toMatchObject({
      ok: true,
      plan: { created: [{ name: 'old.gone', schema_version: 1 }], updated: [], skipped: [{ name: 'old.sunset', reason: 'deprecated' }] },
    });
  });

  it('with update_existing, publishes a schema version only where the schema differs (key order aside), and a changed description', () => {
    const current = given(
      [created('a.same', { properties: { id: { type: 'string' } }, type: 'object' }, 'Same')],
      [created('a.grown', V1, 'Grown')],
      [created('a.reworded', V1, 'Old words')],
      [created('a.untyped', null)],
    );
    const result = planImport([
      entry('a.same', V1, 'Same'),
      entry('a.grown', V2, 'Grown'),
      entry('a.reworded', V1, 'New words'),
      entry('a.untyped', V1),
    ], current, UPDATE);
    expect(result).toEqual({
      ok: true,
      plan: {
        commands: [
          { name: 'a.grown', command: { type: 'PublishSchema', data: { schema: V2, force: false } } },
          { name: 'a.reworded', command: { type: 'UpdateEventType', data: { description: 'New words' } } },
          { name: 'a.untyped', command: { type: 'PublishSchema', data: { schema: V1, force: false } } },
        ],
        created: [],
        updated: [
          { name: 'a.grown', schema_version: 2, changed: ['schema'] },
          { name: 'a.reworded', schema_version: 1, changed: ['description'] },
          { name: 'a.untyped', schema_version: 1, changed: ['schema'] },
        ],
        skipped: [{ name: 'a.same', reason: 'unchanged' }],
      },
    });
  });

  it('never removes a schema or a description: a webhook without them leaves the type as it is', () => {
    const result = planImport([entry('a.b', null, '')], given([created('a.b', V1, 'Kept')]), UPDATE);
    expect(result).toMatchObject({ ok: true, plan: { commands: [], skipped: [{ name: 'a.b', reason: 'unchanged' }] } });
  });

  it('refuses every schema that breaks its type\'s current version, pointing into the webhook, unless forced', () => {
    const current = given([created('a.one', V2)], [created('a.two', V2)]);
    const result = planImport([entry('a.one', BREAKING), entry('a.two', BREAKING)], current, UPDATE);
    expect(result).toEqual({
      ok: false,
      code: 'incompatible_schema',
      problems: [
        { pointer: '/spec/webhooks/a.one/post/s', detail: expect.stringContaining('breaks payloads valid under version 1') },
        { pointer: '/spec/webhooks/a.one/post/s/id', detail: 'type narrowed, no longer accepts string' },
        { pointer: '/spec/webhooks/a.two/post/s', detail: expect.any(String) },
        { pointer: '/spec/webhooks/a.two/post/s/id', detail: 'type narrowed, no longer accepts string' },
      ],
    });
    expect(planImport([entry('a.one', BREAKING)], current, { ...UPDATE, force: true }))
      .toMatchObject({ ok: true, plan: { updated: [{ name: 'a.one', schema_version: 2, changed: ['schema'] }] } });
  });
});
