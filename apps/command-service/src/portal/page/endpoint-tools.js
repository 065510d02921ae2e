// The endpoint page's tools: a test message, and sending again what failed since a point in time. A view-only session
// gets neither (null).
import { write } from './api.js';
import { clear, h, nextId, section } from './dom.js';
import { endpointPath } from './endpoint-actions.js';
import { fullTime, localInputValue } from './format.js';
import { field, fieldError, onSubmit, problemArea, selectInput } from './forms.js';
import { toast } from './notices.js';
import { changeControl } from './state.js';

/** Send one message of a type to this endpoint: the payload typed in, or an example made from the type's schema. */
export const testMessageSection = changeControl((endpoint, catalog, afterSend) => {
  const types = catalog.map((t) => t.name).filter((name) => !endpoint.event_types || endpoint.event_types.includes(name));
  if (!types.length) return null;
  const payloadId = nextId('test-payload');
  const type = selectInput({ id: nextId('test-type'), name: 'event_type', testid: 'test-event-type' }, types.map((name) => [name, name]));
  const payload = h('textarea', {
    id: payloadId, name: 'payload', rows: 4, spellcheck: 'false', class: 'mono', testid: 'test-payload',
    placeholder: 'Leave empty for an example made from the event type’s schema', 'aria-describedby': `${payloadId}-error`,
  });
  const payloadError = fieldError(payloadId);
  const sent = h('div', { class: 'slot' });
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'test-submit' }, 'Send test message');
  const form = h('form', { class: 'form' },
    field('Event type', type),
    field('Payload (JSON, optional)', payload, payloadError),
    h('div', { class: 'actions' }, submit));
  const problems = problemArea(form, { payload: { input: payload, error: payloadError } });
  onSubmit(form, submit, problems, async () => {
    const body = { event_type: type.value };
    if (payload.value.trim()) {
      try {
        body.payload = JSON.parse(payload.value);
      } catch {
        return problems.field('payload', 'This is not valid JSON.');
      }
    }
    const result = await write('POST', endpointPath(endpoint.id, 'test'), body);
    clear(sent);
    sent.append(h('p', { class: 'muted' }, 'Sent message ', h('code', { testid: 'test-message-id' }, result.id), ' with this payload:'),
      h('pre', { class: 'code', tabindex: '0', testid: 'test-sent-payload' }, JSON.stringify(result.payload, null, 2)));
    toast('Test message sent: its attempt shows below in a moment.');
    await afterSend();
  });
  return section('Send a test message',
    h('p', { class: 'muted' }, 'See what a webhook of a type looks like, and check that your server takes it: it is signed and logged like every message.'),
    form, sent);
});

export const recoverSection = changeControl((endpointId) => {
  const id = nextId('since');
  const since = h('input', {
    id, type: 'datetime-local', required: true, name: 'since', testid: 'recover-since',
    value: localInputValue(new Date(Date.now() - 24 * 3600_000)), max: localInputValue(new Date()), 'aria-describedby': `${id}-error`,
  });
  const error = fieldError(id);
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'recover-submit' }, 'Recover failed messages');
  const form = h('form', { class: 'form form-inline' },
    field('Failed since', since, error),
    h('div', { class: 'actions' }, submit));
  const problems = problemArea(form, { since: { input: since, error } });
  onSubmit(form, submit, problems, async () => {
    const at = new Date(since.value);
    if (Number.isNaN(at.getTime())) return problems.field('since', 'Enter a date and time.');
    if (at.getTime() > Date.now()) return problems.field('since', 'Choose a time in the past.');
    const result = await write('POST', endpointPath(endpointId, 'recover'), { since: at.toISOString() });
    toast(`Failed messages since ${fullTime.format(new Date(result.since || at))} are being sent again.`);
  });
  return section('Recover failed messages',
    h('p', { class: 'muted' }, 'Fixed a problem on your server? Send again every message that failed to reach this endpoint since a point in time.'),
    form);
});
