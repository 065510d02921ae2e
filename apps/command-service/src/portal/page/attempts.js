// Delivery attempts (of an endpoint, of a message), the links to the messages and endpoints such lists name, and
// sending a message again.
import { write } from './api.js';
import { h, section } from './dom.js';
import { actionButton } from './errors.js';
import { timeEl } from './format.js';
import { go } from './nav.js';
import { toast } from './notices.js';
import { changeControl } from './state.js';
import { dataTable, filteredRows } from './tables.js';

const OUTCOMES = [['', 'All outcomes'], ['succeeded', 'Succeeded'], ['failed', 'Failed']];
const STATUS_CLASSES = [['', 'Any HTTP status'], ['2xx', '2xx'], ['3xx', '3xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['none', 'No response']];
const COLUMN_TITLES = {
  time: 'Time', event: 'Event type', message: 'Message', endpoint: 'Endpoint', outcome: 'Outcome', http: 'HTTP',
  duration: 'Duration', error: 'Error',
};

/**
 * A section listing the attempts at `path`, newest first, with outcome and status-class filters, Refresh and Load
 * more. `resend(attempt)` names what its Resend button sends again (the `resend` column); `endpointNames` names the
 * endpoints.
 */
export function attemptsSection({ path, columns, resend, endpointNames }) {
  const cells = {
    time: (attempt) => timeEl(attempt.started_at || attempt.created_at),
    event: (attempt) => h('span', { class: 'mono' }, attempt.event_type),
    message: (attempt) => messageLink(attempt.message_id, 'attempt-message'),
    endpoint: (attempt) => endpointLink(attempt.endpoint_id, endpointNames),
    outcome: (attempt) => [
      h('span', { class: `badge badge-${attempt.succeeded ? 'ok' : 'bad'}`, testid: 'attempt-outcome' }, attempt.succeeded ? 'Succeeded' : 'Failed'),
      h('span', { class: 'sub' }, `#${attempt.attempt} · ${attempt.trigger}`),
    ],
    http: (attempt) => h('span', { class: 'mono', testid: 'attempt-status' }, attempt.response ? String(attempt.response.status) : '—'),
    duration: (attempt) => (attempt.latency_ms === null || attempt.latency_ms === undefined ? '—' : `${attempt.latency_ms} ms`),
    error: (attempt) => (attempt.error ? h('span', { class: 'error-text', title: attempt.error.class }, attempt.error.message || attempt.error.class) : '—'),
  };
  const table = dataTable({
    testid: 'attempts-table',
    columns: columns.map((name) => (name === 'resend'
      ? resendColumn(resend, 'attempt-resend', { className: 'col-resend' })
      : { title: COLUMN_TITLES[name], class: `col-${name}`, cell: cells[name] })),
    rowProps: (attempt) => ({
      testid: 'attempt-row', 'data-message-id': attempt.message_id, 'data-attempt-id': attempt.id,
      'data-outcome': attempt.succeeded ? 'succeeded' : 'failed',
    }),
  });
  const empty = h('p', { class: 'empty-inline muted', testid: 'attempts-empty', hidden: true },
    'No delivery attempts yet. They appear here a moment after a message is sent.');
  const { toolbar, more, reload } = filteredRows({
    path,
    filters: [
      { param: 'outcome', label: 'Outcome', options: OUTCOMES, testid: 'filter-outcome' },
      { param: 'status_code_class', label: 'HTTP status', options: STATUS_CLASSES, testid: 'filter-status' },
    ],
    refreshTestid: 'attempts-refresh',
    body: table.body, row: table.row, empty, table: table.node,
  });
  const node = section('Delivery attempts', toolbar, empty, h('div', { class: 'table-wrap' }, table.node), more);
  node.dataset.testid = 'attempts';
  return { node, reload };
}

/**
 * The Action column of a table of deliveries: Resend sends `target(row)`, `{ messageId, endpointId }`, again (the
 * message to that endpoint, with the same webhook-id). Given `names`, an endpoint no longer in it gets a dash instead:
 * a deleted endpoint's delivery cannot be sent again. No column (null) for a view-only session.
 */
export const resendColumn = changeControl((target, testid, { names, className } = {}) => ({
  title: 'Action',
  class: className,
  cell: (row) => {
    const { messageId, endpointId } = target(row);
    if (names && !names.has(endpointId)) return h('span', { class: 'muted' }, '—');
    return actionButton('Resend', { class: 'btn btn-secondary btn-small', testid }, async () => {
      await write('POST', `/messages/${encodeURIComponent(messageId)}/resend`, { endpoint_id: endpointId });
      toast('Message queued to be sent again: how it went shows in its delivery attempts in a moment.');
    });
  },
}));

/** A message by its id, leading to its page. */
export function messageLink(messageId, testid) {
  return h('button', { type: 'button', class: 'link mono', onclick: () => go({ name: 'message', id: messageId }), testid }, messageId);
}

/** An endpoint by its URL, leading to its page; one no longer in `names` was deleted. */
export function endpointLink(endpointId, names) {
  const endpoint = names && names.get(endpointId);
  if (!endpoint) return h('span', { class: 'mono muted', title: 'This endpoint was deleted' }, endpointId, ' (deleted)');
  return h('button', { type: 'button', class: 'link endpoint-ref', onclick: () => go({ name: 'endpoint', id: endpointId }) }, endpoint.url);
}
