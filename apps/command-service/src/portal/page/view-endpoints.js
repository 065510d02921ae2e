// View: the tenant's endpoints, how deliveries to all of them went in the last 24 hours, and the form to add one (for
// a session that may change them).
import { eventTypes, forgetEventTypes, read, readPage, write } from './api.js';
import { deliveryChart } from './delivery-chart.js';
import { button, clear, emptyCard, h, section } from './dom.js';
import { deleteButton, showSecret, toggleButton } from './endpoint-actions.js';
import { endpointForm } from './endpoint-form.js';
import { actionButton } from './errors.js';
import { go, pageHead } from './nav.js';
import { canChange, changeControl } from './state.js';
import { pagedRows } from './tables.js';
import { awaitingNote, badge, disabledNote, ENDPOINT_STATUS, eventTypeChips } from './wording.js';

export async function endpointsView(_view, app, current) {
  // Event types the platform added meanwhile show up in the next form.
  forgetEventTypes();
  const secretSlot = h('div', { class: 'slot' });
  const formSlot = h('div', { class: 'slot' });
  const chartSlot = h('div', { class: 'slot', testid: 'tenant-chart' });
  const list = h('ul', { class: 'endpoint-list', testid: 'endpoint-list', 'aria-label': 'Endpoints' });
  const empty = emptyCard('No endpoints yet',
    canChange() ? 'Add the URL of your server that should receive webhooks.' : 'The URLs of your servers that receive webhooks show up here.',
    { testid: 'endpoints-empty', hidden: true });

  const { more, reload } = pagedRows({
    body: list, empty,
    load: (cursor) => readPage('/v1/endpoints', cursor),
    row: (endpoint) => endpointRow(endpoint, reload),
  });

  app.append(
    pageHead('Endpoints', { actions: [addEndpointButton({ formSlot, secretSlot, reload, current })] }),
    h('p', { class: 'lead muted' }, 'The URLs of your servers that receive webhooks, and what each one receives.'),
    chartSlot, secretSlot, formSlot, empty, list, more);
  await Promise.all([reload(), read('/v1/stats').then((stats) => {
    if (current()) chartSlot.replaceChildren(section('Deliveries to all your endpoints', deliveryChart(stats)));
  })]);
}

/** Add endpoint: opens the form in `formSlot`; once created, the endpoint's secret shows in `secretSlot`. */
const addEndpointButton = changeControl(({ formSlot, secretSlot, reload, current }) => {
  const closeForm = () => {
    clear(formSlot);
    addButton.setAttribute('aria-expanded', 'false');
    addButton.hidden = false;
  };
  const addButton = actionButton('Add endpoint', { class: 'btn btn-primary', testid: 'add-endpoint', 'aria-expanded': 'false' }, async () => {
    const catalog = await eventTypes();
    if (!current()) return;
    const { form, focus } = endpointForm({
      endpoint: null, catalog, submitLabel: 'Create endpoint', onCancel: closeForm,
      onSubmit: async (body) => {
        const created = await write('POST', '/endpoints', body);
        closeForm();
        showSecret(secretSlot, 'Endpoint created', created,
          created.status === 'pending_approval' ? 'It receives messages once its event types are approved.' : null);
        await reload();
      },
    });
    formSlot.replaceChildren(section('Add an endpoint', form));
    addButton.setAttribute('aria-expanded', 'true');
    addButton.hidden = true;
    focus();
  });
  return addButton;
});

function endpointRow(endpoint, reload) {
  const open = () => go({ name: 'endpoint', id: endpoint.id });
  const note = disabledNote(endpoint);
  const awaiting = awaitingNote(endpoint);
  const actions = [
    button('Details', { class: 'btn btn-secondary btn-small', testid: 'endpoint-open', 'aria-label': `Details of ${endpoint.url}` }, open),
    toggleButton(endpoint, { small: true, after: reload }),
    deleteButton(endpoint, { small: true, after: reload }),
  ];
  return h('li', { class: 'card endpoint-card', testid: 'endpoint-row', 'data-endpoint-id': endpoint.id, 'data-status': endpoint.status },
    h('div', { class: 'endpoint-main' },
      h('button', { type: 'button', class: 'link endpoint-url', onclick: open, testid: 'endpoint-url-link' }, endpoint.url),
      endpoint.description ? h('p', { class: 'endpoint-description' }, endpoint.description) : null,
      eventTypeChips(endpoint.event_types)),
    h('div', { class: 'endpoint-side' },
      badge(ENDPOINT_STATUS, endpoint.status, 'endpoint-status'),
      // Waiting as a whole, its status badge says so already; the types it waits for are on its page.
      awaiting && endpoint.status !== 'pending_approval'
        ? h('span', { class: 'badge badge-warn', title: awaiting, testid: 'endpoint-awaiting' }, awaitingCount(endpoint.event_types_awaiting_approval))
        : null,
      note ? h('p', { class: 'status-note', testid: 'endpoint-status-note' }, note) : null,
      h('div', { class: 'actions actions-tight' }, actions)));
}

const awaitingCount = (types) => `${types.length === 1 ? '1 type' : `${types.length} types`} awaiting approval`;
