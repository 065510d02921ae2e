// The form that adds an endpoint or edits one.
import { button, h, nextId } from './dom.js';
import { headersField } from './endpoint-headers.js';
import { saslField } from './endpoint-sasl.js';
import { field, fieldError, onSubmit, problemArea } from './forms.js';
import { toast } from './notices.js';

/**
 * The URL, description, event types, custom headers, rate limit and (of a Kafka destination) SASL login of an
 * endpoint. `endpoint` is the one being edited, or null to add one. Hands `onSubmit` the request body (only the changed
 * fields when editing; the SASL login only when it changed) and, when editing, the headers' changes apart (for PATCH
 * …/headers, which keeps the headers it does not name); with nothing changed it says so instead.
 */
export function endpointForm({ endpoint, catalog, submitLabel, onSubmit: submitBody, onCancel }) {
  const fieldIds = { url: nextId('url'), description: nextId('description'), types: nextId('types'), rate: nextId('rate') };
  const urlInput = h('input', {
    // Text, not type=url: a Kafka destination lists its brokers (kafka+tls://b1:9093,b2:9093/orders), which the
    // browser's URL check refuses; the API checks every URL and its answer names what is wrong.
    id: fieldIds.url, name: 'url', type: 'text', inputmode: 'url', required: true, maxlength: 2048, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://example.com/webhooks', value: endpoint ? endpoint.url : '', testid: 'endpoint-url',
    'aria-describedby': `${fieldIds.url}-error`,
  });
  const descriptionInput = h('input', {
    id: fieldIds.description, name: 'description', type: 'text', maxlength: 2000, autocomplete: 'off',
    placeholder: 'What this endpoint is for (optional)', value: endpoint ? endpoint.description || '' : '', testid: 'endpoint-description',
    'aria-describedby': `${fieldIds.description}-error`,
  });
  const currentRate = endpoint ? endpoint.rate_limit_per_second ?? null : null;
  const rateInput = h('input', {
    id: fieldIds.rate, name: 'rate_limit_per_second', type: 'number', min: 1, max: 100000, step: 1, inputmode: 'numeric',
    placeholder: 'No limit', value: currentRate ?? '', testid: 'endpoint-rate-limit',
    'aria-describedby': `${fieldIds.rate}-hint ${fieldIds.rate}-error`,
  });
  const errors = {
    url: fieldError(fieldIds.url), description: fieldError(fieldIds.description), event_types: fieldError(fieldIds.types),
    rate_limit_per_second: fieldError(fieldIds.rate),
  };
  const headers = headersField(endpoint ? endpoint.headers : null);
  const sasl = saslField(endpoint ? endpoint.auth : null, urlInput);

  const subscribed = endpoint ? endpoint.event_types : null;
  const names = catalog.map((t) => t.name);
  // Types the endpoint still names but the catalog no longer offers stay visible, so saving does not drop them unseen.
  const offered = [...catalog, ...(subscribed || []).filter((n) => !names.includes(n)).map((name) => ({ name, missing: true }))];
  const boxes = offered.map((type) => {
    const id = nextId('type');
    const box = h('input', { type: 'checkbox', id, name: 'event_types', value: type.name, checked: Boolean(subscribed && subscribed.includes(type.name)) });
    const notes = [type.deprecated && 'deprecated', type.requires_approval && 'needs approval', type.missing && 'no longer offered'].filter(Boolean);
    return h('div', { class: 'check' }, box,
      h('label', { for: id },
        h('span', { class: 'check-name' }, type.name),
        notes.length ? h('span', { class: 'check-note' }, ` (${notes.join(', ')})`) : null,
        type.description ? h('span', { class: 'check-description' }, type.description) : null));
  });
  const typesHint = !offered.length
    ? 'No event types are defined yet: the endpoint receives every message.'
    : 'Leave all unchecked to receive every event type, including ones added later.';
  const fieldset = h('fieldset', { class: 'field', 'aria-describedby': `${fieldIds.types}-hint ${fieldIds.types}-error` },
    h('legend', null, 'Event types'),
    h('p', { class: 'hint', id: `${fieldIds.types}-hint` }, typesHint),
    offered.length ? h('div', { class: 'checks', testid: 'event-type-choices' }, boxes) : null,
    errors.event_types);

  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'endpoint-submit' }, submitLabel);
  const form = h('form', { class: 'form', testid: 'endpoint-form' },
    field('Endpoint URL', urlInput, errors.url),
    sasl.node,
    field('Description', descriptionInput, errors.description),
    fieldset,
    headers.node,
    field('Rate limit (webhooks per second)', rateInput, [
      h('p', { class: 'hint', id: `${fieldIds.rate}-hint` }, 'The most webhooks sent to this endpoint each second. Leave empty for no limit.'),
      errors.rate_limit_per_second,
    ], 'field field-narrow'),
    h('div', { class: 'actions' }, submit, onCancel ? button('Cancel', { testid: 'endpoint-cancel' }, onCancel) : null));
  const problems = problemArea(form, {
    url: { input: urlInput, error: errors.url },
    description: { input: descriptionInput, error: errors.description },
    event_types: { input: null, error: errors.event_types },
    headers: headers.entry,
    auth: sasl.entry,
    rate_limit_per_second: { input: rateInput, error: errors.rate_limit_per_second },
  });

  onSubmit(form, submit, problems, async () => {
    const checked = [...form.querySelectorAll('input[name="event_types"]:checked')].map((b) => b.value);
    const body = {};
    const url = urlInput.value.trim();
    const description = descriptionInput.value.trim();
    if (!endpoint || url !== endpoint.url) body.url = url;
    if (!endpoint ? description : description !== (endpoint.description || '')) body.description = description;
    if (!endpoint) {
      // Left out, the endpoint receives every type; an empty list would mean none.
      if (checked.length) body.event_types = checked;
    } else if (subscribed) {
      // None checked: every type again (null); an empty list would mean none.
      const same = checked.length === subscribed.length && checked.every((name) => subscribed.includes(name));
      if (!same) body.event_types = checked.length ? checked : null;
    } else if (checked.length) {
      body.event_types = checked;
    }
    const typedHeaders = headers.read();
    if (typedHeaders.errors.length) return problems.show({ detail: 'Please correct the headers marked below.', errors: typedHeaders.errors });
    if (!endpoint && Object.keys(typedHeaders.headers).length) body.headers = typedHeaders.headers;
    const headersPatch = endpoint ? typedHeaders.patch : undefined;
    const login = sasl.read(url);
    if (login.errors.length) return problems.show({ detail: 'Please complete the SASL login.', errors: login.errors });
    if (login.auth !== undefined) body.auth = login.auth;
    // Empty is no limit: null takes an edited endpoint's away, and is the default of a new one.
    const rate = rateInput.value.trim() === '' ? null : Number(rateInput.value);
    if (rate !== currentRate) body.rate_limit_per_second = rate;
    if (endpoint && !Object.keys(body).length && !headersPatch) {
      toast('Nothing to save: no setting changed.');
      return;
    }
    await submitBody(body, headersPatch);
  });
  return { form, focus: () => urlInput.focus() };
}
