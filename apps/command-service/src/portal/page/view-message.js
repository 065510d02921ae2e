// View: one message, its content and its delivery to each endpoint.
import { endpointsById, read } from './api.js';
import { attemptsSection, endpointLink, resendColumn } from './attempts.js';
import { h, section } from './dom.js';
import { timeEl } from './format.js';
import { go, pageHead } from './nav.js';
import { dataTable } from './tables.js';
import { badge, DELIVERY_STATUS, tagChips } from './wording.js';

export async function messageView(view, app, current) {
  const path = `/v1/messages/${encodeURIComponent(view.id)}`;
  const [message, names] = await Promise.all([read(path), endpointsById()]);
  if (!current()) return;

  const attempts = attemptsSection({
    path: `${path}/attempts`,
    columns: ['time', 'endpoint', 'outcome', 'http', 'duration', 'error', 'resend'],
    resend: (attempt) => ({ messageId: message.id, endpointId: attempt.endpoint_id }),
    endpointNames: names,
  });

  app.append(
    pageHead(message.event_type, { back: { label: 'All messages', view: { name: 'messages' } }, testid: 'message-title' }),
    h('div', { class: 'meta' },
      h('span', { class: 'meta-item' }, 'ID ', h('code', { testid: 'message-id' }, message.id)),
      h('span', { class: 'meta-item' }, 'Sent ', timeEl(message.created_at)),
      message.channels && message.channels.length ? h('span', { class: 'meta-item' }, 'Channels ', message.channels.join(', ')) : null,
      message.tags && message.tags.length
        ? h('div', { class: 'meta-item meta-tags', testid: 'message-tags' }, 'Tags ', tagChips(message.tags, (tag) => go({ name: 'messages', filters: { tag } })))
        : null),
    section('Deliveries', deliveries(message, names)),
    section('Content', content(message)),
    attempts.node);
  await attempts.reload();
}

function content(message) {
  const absent = message.payload_expunged ? 'The content of this message was deleted on request.'
    : message.payload_purged || message.payload === null ? 'The content of this message is no longer kept (it is older than the retention period).'
      : null;
  if (absent) return h('p', { class: 'muted', testid: 'payload-absent' }, absent);
  return h('pre', { class: 'code', testid: 'message-payload', tabindex: '0' }, JSON.stringify(message.payload, null, 2));
}

/** Each endpoint's delivery of the message; a deleted endpoint's cannot be resent. */
function deliveries(message, names) {
  if (!message.deliveries || !message.deliveries.length) return h('p', { class: 'muted' }, 'None of your endpoints receives this message.');
  const table = dataTable({
    columns: [
      { title: 'Endpoint', cell: (d) => endpointLink(d.endpoint_id, names) },
      { title: 'Status', cell: (d) => badge(DELIVERY_STATUS, d.status, 'delivery-status') },
      { title: 'Attempts', cell: (d) => String(d.attempt_count) },
      { title: 'Last HTTP', cell: (d) => h('span', { class: 'mono' }, d.last_status_code === null ? '—' : String(d.last_status_code)) },
      { title: 'Next attempt', cell: (d) => timeEl(d.next_attempt_at) },
      resendColumn((d) => ({ messageId: message.id, endpointId: d.endpoint_id }), 'delivery-resend', { names }),
    ],
    rowProps: (d) => ({ testid: 'delivery-row', 'data-endpoint-id': d.endpoint_id }),
  });
  table.body.append(...message.deliveries.map(table.row));
  return h('div', { class: 'table-wrap' }, table.node);
}
