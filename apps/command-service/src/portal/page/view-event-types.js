// View: the event catalog, what an endpoint can subscribe to and what each message carries.
import { eventTypes, readAll } from './api.js';
import { emptyCard, h } from './dom.js';
import { shortTime } from './format.js';
import { pageHead } from './nav.js';

export async function eventTypesView(_view, app, current) {
  const [catalog, endpoints] = await Promise.all([eventTypes(), readAll('/v1/endpoints')]);
  if (!current()) return;
  const receivers = (name) => endpoints.filter((e) => e.event_types === null || e.event_types.includes(name)).length;
  const cards = catalog.map((type) => eventTypeCard(type, receivers(type.name)));
  app.append(
    pageHead('Event types'),
    h('p', { class: 'lead muted' }, 'What your endpoints can subscribe to. Every webhook carries one of these types, with a payload of its schema.'),
    cards.length
      ? h('ul', { class: 'catalog', testid: 'event-type-list' }, cards)
      : emptyCard('No event types yet', 'Endpoints receive every message until event types are defined.'));
}

function eventTypeCard(type, count) {
  const latest = type.schemas && type.schemas.length ? type.schemas[type.schemas.length - 1] : null;
  const notes = [
    type.deprecated ? `Deprecated${type.sunset_at ? `, ends ${shortTime.format(new Date(type.sunset_at))}` : ''}` : null,
    type.requires_approval ? 'Needs approval to subscribe' : null,
  ].filter(Boolean);
  return h('li', { class: 'card catalog-item', testid: 'event-type', 'data-event-type': type.name },
    h('div', { class: 'catalog-head' },
      h('h2', { class: 'catalog-name mono' }, type.name),
      notes.map((n) => h('span', { class: 'status-note' }, n))),
    type.description ? h('p', null, type.description) : null,
    h('p', { class: 'muted', testid: 'event-type-receivers' },
      count === 0 ? 'None of your endpoints receives it.' : count === 1 ? '1 of your endpoints receives it.' : `${count} of your endpoints receive it.`),
    latest && latest.schema
      ? h('details', { class: 'catalog-schema' },
        h('summary', null, `Payload schema (version ${latest.version})`),
        h('pre', { class: 'code', tabindex: '0', testid: 'event-type-schema' }, JSON.stringify(latest.schema, null, 2)))
      : h('p', { class: 'muted' }, 'Its payload has no published schema.'));
}
