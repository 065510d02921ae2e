// The custom headers of the endpoint form: rows of name and value, added and removed, with the values the API keeps
// hidden (of credential-like names) left hidden.
import { button, h, nextId } from './dom.js';
import { fieldError } from './forms.js';

// How the query service shows the value of a header named like a credential (authorization, …token, …key): never the value.
const HIDDEN = '****';
// The API's limit; the Add button stops there rather than let a save be refused for it.
const MAX_HEADERS = 20;

/**
 * The headers fieldset for `headers` (the endpoint's as the API shows them; null when adding one). `entry` goes to
 * problemArea: an error at `/headers/<name>` shows under that header's row. `read()` gives what to send: `headers`, all
 * of them (for a new endpoint), `patch`, the changes only (for an edited one: PATCH …/headers sets a string, removes a
 * null and keeps every header not named; undefined when nothing changed), and `errors` (problem errors) when the rows
 * cannot be sent as they are.
 *
 * A hidden value left empty is simply not in the patch, so the real value stays: the mask is never sent back.
 */
export function headersField(headers) {
  const id = nextId('headers');
  const original = headers || {};
  const error = fieldError(id);
  const rowList = h('div', { class: 'header-rows', testid: 'header-rows' });
  const rows = [];

  const addRow = (name = '', value = '') => {
    const hidden = value === HIDDEN;
    const nameInput = h('input', {
      id: nextId('header-name'), type: 'text', maxlength: 64, autocomplete: 'off', spellcheck: 'false', value: name,
      class: 'header-name', placeholder: 'X-Header-Name', 'aria-label': 'Header name', testid: 'header-name',
    });
    const valueInput = h('input', {
      type: 'text', class: 'header-value', maxlength: 4096, autocomplete: 'off', spellcheck: 'false', value: hidden ? '' : value, testid: 'header-value',
      placeholder: hidden ? 'Hidden: leave empty to keep it' : 'Value', 'aria-label': 'Header value',
    });
    const rowError = fieldError(nameInput.id);
    for (const input of [nameInput, valueInput]) input.setAttribute('aria-describedby', rowError.id);
    const row = { name: nameInput, value: valueInput, hiddenName: hidden ? name : null, entry: { input: nameInput, error: rowError } };
    row.node = h('div', { class: 'header-row', testid: 'header-row', 'data-hidden': hidden ? 'true' : null },
      nameInput, valueInput,
      button('Remove', { class: 'btn btn-ghost btn-small header-remove', testid: 'header-remove', 'aria-label': 'Remove this header' }, () => {
        rows.splice(rows.indexOf(row), 1);
        row.node.remove();
        addButton.hidden = false;
      }),
      rowError);
    rows.push(row);
    rowList.append(row.node);
    addButton.hidden = rows.length >= MAX_HEADERS;
    return row;
  };
  const addButton = button('Add header', { class: 'btn btn-secondary btn-small', testid: 'header-add' }, () => addRow().name.focus());
  for (const [name, value] of Object.entries(original)) addRow(name, value);

  /** The rows with something in them; a hidden value left empty is kept (`kept`). */
  const filled = () => rows
    .map((row) => ({ row, name: row.name.value.trim(), value: row.value.value }))
    .filter((r) => r.name || r.value)
    .map((r) => ({ ...r, kept: r.row.hiddenName !== null && r.name === r.row.hiddenName && r.value === '' }));

  const read = () => {
    const entries = filled();
    const errors = [];
    if (entries.some((e) => !e.name)) errors.push({ pointer: '/headers', detail: 'Every header needs a name.' });
    const seen = new Set();
    for (const { name } of entries.filter((e) => e.name)) {
      // Header names are case-insensitive: two spellings of one name would reach the server as one header.
      if (seen.has(name.toLowerCase())) errors.push({ pointer: `/headers/${name}`, detail: 'This header is named twice.' });
      seen.add(name.toLowerCase());
    }
    for (const e of entries.filter((entry) => entry.row.hiddenName !== null && !entry.kept && entry.value === '')) {
      // Renamed, a hidden header has no value to take along: the page never had it.
      errors.push({ pointer: `/headers/${e.name}`, detail: 'Enter the value for this header: its hidden one stays with its old name.' });
    }
    const patch = {};
    for (const name of Object.keys(original)) if (!seen.has(name.toLowerCase())) patch[name] = null;
    for (const e of entries.filter((entry) => entry.name && !entry.kept)) {
      if (Object.hasOwn(original, e.name) && original[e.name] !== HIDDEN && original[e.name] === e.value) continue;
      patch[e.name] = e.value;
    }
    return {
      headers: Object.fromEntries(entries.map((e) => [e.name, e.value])),
      patch: Object.keys(patch).length ? patch : undefined,
      errors,
    };
  };

  const node = h('fieldset', { class: 'field', 'aria-describedby': `${id}-hint ${id}-error` },
    h('legend', null, 'Custom headers'),
    h('p', { class: 'hint', id: `${id}-hint` },
      'Sent with every webhook, such as a key your server checks. Values of headers named like credentials are hidden once saved.'),
    rowList, error,
    h('div', { class: 'actions' }, addButton));
  // A header's row, by the name the API's error pointer gives (the name as sent).
  const at = (name) => rows.find((row) => row.name.value.trim() === name)?.entry;
  return { node, entry: { input: null, error, at }, read };
}
