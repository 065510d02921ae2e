import { EventTypeEvent } from '@hookline/contracts';
import { givenWhenThen } from '../shared/spec-helper';
import { currentSchema, decideEventType, evolveEventType, initialEventTypeState } from './event-type.decider';

const given = givenWhenThen({ decide: decideEventType, evolve: evolveEventType, initialState: initialEventTypeState });

const name = 'invoice.paid';
const v1 = { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'integer' } }, required: ['id'] };
const paid = { name, description: 'An invoice was paid', schema: v1, requires_approval: false };
const created: EventTypeEvent = { type: 'event_type.created.v1', data: paid };
const createdWithoutSchema: EventTypeEvent = { type: 'event_type.created.v1', data: { ...paid, schema: null } };
const deleted: EventTypeEvent = { type: 'event_type.deleted.v1', data: { name } };
const published = (version: number, schema: Record<string, unknown>, breaking_changes: string[] = []): EventTypeEvent => ({
  type: 'event_type.schema_published.v1',
  data: { name, version, schema, breaking_changes },
});

describe('event type decider', () => {
  describe('CreateEventType', () => {
    it('creates an event type with its schema as version 1', () => {
      const { state } = given([])
        .when({ type: 'CreateEventType', data: paid })
        .then([created]);
      expect(currentSchema(state)).toEqual({ version: 1, schema: v1 });
      expect(state.version).toBe(1);
    });

    it('creates an event type without a schema, whose payloads are not validated', () => {
      const { state } = given([])
        .when({ type: 'CreateEventType', data: { ...paid, schema: null } })
        .then([createdWithoutSchema]);
      expect(currentSchema(state)).toBeNull();
    });

    it('refuses a name that is taken', () => {
      given([created]).when({ type: 'CreateEventType', data: paid }).then({ code: 'already_exists', field: '/name' });
    });

    it('accepts the name of a deleted event type again, starting over at schema version 1', () => {
      const { state } = given([created, published(2, v1), deleted])
        .when({ type: 'CreateEventType', data: { name, description: 'again', schema: v1, requires_approval: true } })
        .then([{ type: 'event_type.created.v1', data: { name, description: 'again', schema: v1, requires_approval: true } }]);
      expect(state).toMatchObject({ status: 'active', requiresApproval: true, schemas: [{ version: 1, schema: v1 }] });
    });

    it.each(['Invoice.Paid', 'invoice paid', '.invoice', 'invoice.', 'invoice..paid', 'a.b.c.d.e.f.g.h.i', ''])('refuses the name %j', (bad) => {
      given([])
        .when({ type: 'CreateEventType', data: { name: bad, description: '', schema: null, requires_approval: false } })
        .then({ code: 'invalid', field: '/name' });
    });

    it.each(['invoice', 'invoice.paid', 'billing.invoice_v2.paid-late', 'a.b.c.d.e.f.g.h'])('accepts the name %j', (good) => {
      given([])
        .when({ type: 'CreateEventType', data: { name: good, description: '', schema: null, requires_approval: false } })
        .then([{ type: 'event_type.created.v1', data: { name: good, description: '', schema: null, requires_approval: false } }]);
    });
  });

  describe('UpdateEventType', () => {
    it('records the changed fields under the event type name', () => {
      const { state } = given([created])
        .when({ type: 'UpdateEventType', data: { requires_approval: true } })
        .then([{ type: 'event_type.updated.v1', data: { name, requires_approval: true } }]);
      expect(state).toMatchObject({ requiresApproval: true, description: 'An invoice was paid', version: 2 });
    });

    it('is a no-op when nothing is given', () => {
      given([created]).when({ type: 'UpdateEventType', data: {} }).then([]);
    });

    it.each<[string, EventTypeEvent[]]>([
      ['never created', []],
      ['deleted', [created, deleted]],
    ])('refuses an event type that was %s', (_, history) => {
      given(history).when({ type: 'UpdateEventType', data: { description: 'x' } }).then('not_found');
    });
  });

  describe('PublishSchema', () => {
    const v2 = { ...v1, properties: { ...v1.properties, currency: { type: 'string' } } };

    it('publishes a compatible schema as the next version', () => {
      const { state } = given([created]).when({ type: 'PublishSchema', data: { schema: v2, force: false } }).then([published(2, v2)]);
      expect(currentSchema(state)).toEqual({ version: 2, schema: v2 });
      expect(state.schemas.map((s) => s.version)).toEqual([1, 2]);
    });

    it('publishes a first schema for an event type that had none as version 1, without checks', () => {
      given([createdWithoutSchema]).when({ type: 'PublishSchema', data: { schema: v1, force: false } }).then([published(1, v1)]);
    });

    it('compares against the newest version, not the first', () => {
      const v3 = { ...v2, properties: { ...v2.properties, note: { type: 'string' } } };
      given([created, published(2, v2)]).when({ type: 'PublishSchema', data: { schema: v3, force: false } }).then([published(3, v3)]);
      given([created, published(2, v2)])
        .when({ type: 'PublishSchema', data: { schema: { ...v2, required: ['id', 'currency'] }, force: false } })
        .then('incompatible_schema');
    });

    it('refuses a breaking schema, naming the version it breaks and each problem by pointer', () => {
      const breaking = { ...v1, properties: { id: { type: 'integer' }, amount: { type: 'integer' } }, required: ['id', 'amount'] };
      const { decision } = given([created, published(2, v1)])
        .when({ type: 'PublishSchema', data: { schema: breaking, force: false } })
        .then({
          code: 'incompatible_schema',
          field: '/schema',
          details: ['/amount: new required field (payloads built for the previous version lack it)', '/id: type narrowed, no longer accepts string'],
        });
      expect(!decision.ok && decision.error.message).toMatch(/version 2.*force=true/);
    });

    it('publishes a breaking schema with force, listing what broke', () => {
      const breaking = { ...v1, required: ['id', 'amount'] };
      given([created])
        .when({ type: 'PublishSchema', data: { schema: breaking, force: true } })
        .then([published(2, breaking, ['/amount: new required field (payloads built for the previous version lack it)'])]);
    });

    it('publishes a compatible schema with force and an empty breaking list', () => {
      given([created]).when({ type: 'PublishSchema', data: { schema: v2, force: true } }).then([published(2, v2)]);
    });

    it.each<[string, EventTypeEvent[]]>([
      ['never created', []],
      ['deleted', [created, deleted]],
    ])('refuses an event type that was %s', (_, history) => {
      given(history).when({ type: 'PublishSchema', data: { schema: v1, force: true } }).then('not_found');
    });
  });

  describe('DeprecateEventType', () => {
    it('deprecates with a sunset date', () => {
      const { state } = given([created])
        .when({ type: 'DeprecateEventType', data: { sunset_at: '2026-01-01T00:00:00.000Z' } })
        .then([{ type: 'event_type.deprecated.v1', data: { name, sunset_at: '2026-01-01T00:00:00.000Z' } }]);
      expect(state).toMatchObject({ deprecated: true, sunsetAt: '2026-01-01T00:00:00.000Z' });
    });

    it('refuses a deleted event type', () => {
      given([created, deleted]).when({ type: 'DeprecateEventType', data: { sunset_at: null } }).then('not_found');
    });
  });

  describe('DeleteEventType', () => {
    it('deletes an active event type', () => {
      const { state } = given([created]).when({ type: 'DeleteEventType', data: {} }).then([deleted]);
      expect(state.status).toBe('deleted');
    });

    it.each<[string, EventTypeEvent[]]>([
      ['never created', []],
      ['already deleted', [created, deleted]],
    ])('refuses an event type that was %s', (_, history) => {
      given(history).when({ type: 'DeleteEventType', data: {} }).then('not_found');
    });
  });
});
