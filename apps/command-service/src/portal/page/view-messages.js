// View: recent messages, and how their delivery to each endpoint went.
import { endpointsById, eventTypes } from './api.js';
import { messageLink } from './attempts.js';
import { emptyCard, h } from './dom.js';
import { timeEl } from './format.js';
import { pageHead, rememberView } from './nav.js';
import { dataTable, filteredRows } from './tables.js';
import { badge, DELIVERY_STATUS, tagChips } from './wording.js';

// The longest tag the API takes (message tags are 1–128 characters).
const TAG_MAX = 128;

/** `view.filters`, when there are any: the event type, delivery status and tag the list was narrowed to. */
export async function messagesView(view, app, current) {
  const [catalog, names] = await Promise.all([eventTypes(), endpointsById()]);
  if (!current()) return;
  const filterByTag = (tag) => filters.set('tag', tag);
  const table = dataTable({
    testid: 'messages-table',
    columns: [
      { title: 'Time', cell: (message) => timeEl(message.created_at) },
      { title: 'Event type', cell: (message) => h('span', { class: 'mono' }, message.event_type) },
      { title: 'Message', cell: (message) => messageLink(message.id, 'message-open') },
      { title: 'Tags', cell: (message) => tagChips(message.tags, filterByTag) },
      { title: 'Deliveries', cell: (message) => deliverySummary(message.deliveries, names) },
    ],
    rowProps: (message) => ({ testid: 'message-row', 'data-message-id': message.id }),
  });
  const empty = emptyCard('No messages', 'Messages sent to your endpoints show up here (those the filters above match).',
    { testid: 'messages-empty', hidden: true });
  const filters = filteredRows({
    path: '/v1/messages',
    filters: [
      { param: 'event_type', label: 'Event type', options: [['', 'All event types'], ...catalog.map((t) => [t.name, t.name])], testid: 'filter-event-type' },
      {
        param: 'status', label: 'Delivery', testid: 'filter-delivery',
        options: [['', 'Any delivery status'], ...Object.entries(DELIVERY_STATUS).map(([v, s]) => [v, s.text])],
      },
      { param: 'tag', label: 'Tag', placeholder: 'customer:cus_42', maxlength: TAG_MAX, testid: 'filter-tag' },
    ],
    values: view.filters || {},
    onChange: (values) => {
      if (current()) rememberView({ ...view, filters: values });
    },
    refreshTestid: 'messages-refresh',
    body: table.body, row: table.row, empty, table: table.node,
  });

  app.append(
    pageHead('Messages'),
    h('p', { class: 'lead muted' }, 'Recent messages and how their delivery to each of your endpoints went.'),
    h('div', { class: 'card' }, filters.toolbar, h('div', { class: 'table-wrap' }, table.node), filters.more),
    empty);
  await filters.reload();
}

function deliverySummary(deliveries, names) {
  if (!deliveries || !deliveries.length) return h('span', { class: 'muted' }, 'None of your endpoints receives it');
  return h('ul', { class: 'delivery-list' }, deliveries.map((d) => {
    const endpoint = names.get(d.endpoint_id);
    return h('li', null, badge(DELIVERY_STATUS, d.status), ' ',
      h('span', { class: 'delivery-target', title: d.endpoint_id }, endpoint ? endpoint.url : `${d.endpoint_id} (deleted)`));
  }));
}
