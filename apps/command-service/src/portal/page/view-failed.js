// View: deliveries that gave up (the tenant's dead letters), each to send again once the customer's server is fixed.
import { endpointsById } from './api.js';
import { endpointLink, messageLink, resendColumn } from './attempts.js';
import { emptyCard, h } from './dom.js';
import { timeEl } from './format.js';
import { pageHead } from './nav.js';
import { canChange } from './state.js';
import { dataTable, filteredRows } from './tables.js';
import { DEAD_LETTER_CAUSE } from './wording.js';

export async function failedView(_view, app, current) {
  const names = await endpointsById();
  if (!current()) return;
  const table = dataTable({
    testid: 'failed-table',
    columns: [
      { title: 'When', class: 'col-time', cell: (d) => timeEl(d.created_at) },
      { title: 'Message', class: 'col-message', cell: (d) => messageLink(d.message_id, 'failed-message') },
      { title: 'Event type', cell: (d) => h('span', { class: 'mono' }, d.event_type) },
      { title: 'Endpoint', cell: (d) => endpointLink(d.endpoint_id, names) },
      { title: 'Cause', class: 'col-error', cell: cause },
      { title: 'Attempts', cell: (d) => h('span', { testid: 'failed-attempts' }, String(d.attempts)) },
      resendColumn((d) => ({ messageId: d.message_id, endpointId: d.endpoint_id }), 'failed-resend', { names }),
    ],
    rowProps: (d) => ({ testid: 'failed-row', 'data-message-id': d.message_id, 'data-endpoint-id': d.endpoint_id }),
  });
  const empty = emptyCard('No failed deliveries',
    'Messages your endpoints could not take after every retry show up here, to send again once your server is fixed.',
    { testid: 'failed-empty', hidden: true });
  const endpoints = [...names.values()].map((e) => [e.id, e.url]);
  const { toolbar, more, reload } = filteredRows({
    path: '/v1/dead-letters',
    filters: [{ param: 'endpoint_id', label: 'Endpoint', options: [['', 'All endpoints'], ...endpoints], testid: 'filter-endpoint' }],
    refreshTestid: 'failed-refresh',
    body: table.body, row: table.row, empty, table: table.node,
  });

  app.append(
    pageHead('Failed deliveries'),
    h('p', { class: 'lead muted' },
      'Messages that never reached one of your endpoints: every retry failed, or the endpoint asked for no more. ',
      canChange() ? 'Fixed the problem? Send one again with Resend, or all of an endpoint’s since a time from the endpoint’s page.' : null),
    h('div', { class: 'card' }, toolbar, h('div', { class: 'table-wrap' }, table.node), more),
    empty);
  await reload();
}

/** Why it gave up, with the last error the endpoint's server gave. */
function cause(deadLetter) {
  const why = DEAD_LETTER_CAUSE[deadLetter.cause] || 'Gave up after its last attempt';
  return [
    h('span', { testid: 'failed-cause' }, why),
    deadLetter.last_error ? h('span', { class: 'sub' }, deadLetter.last_error) : null,
  ];
}
