// Lists the API hands out a page at a time, and the tables that show them.
import { readPage } from './api.js';
import { clear, h, nextId } from './dom.js';
import { actionButton, reportError } from './errors.js';
import { field, selectInput } from './forms.js';

/**
 * A table made from its columns (`title`, `cell(item)`, optional `class`; a null one is left out: a column this session
 * may not use). Each cell repeats its column's title in data-label: on narrow screens portal.css hides the head row and
 * shows that instead.
 */
export function dataTable({ columns: given, testid, rowProps }) {
  const columns = given.filter(Boolean);
  const body = h('tbody');
  const node = h('table', { class: 'table', testid },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.title)))),
    body);
  const row = (item) => h('tr', rowProps(item), columns.map((c) => h('td', { class: c.class, 'data-label': c.title }, c.cell(item))));
  return { node, body, row };
}

/**
 * The rows of a list read a page at a time into `body`: `reload()` starts over, "Load more" adds the next page while
 * the API has one. `empty` shows when there are no rows, and `table`, when given, hides then.
 */
export function pagedRows({ body, load, row, empty, table }) {
  let cursor = null;
  const next = async (reset) => {
    if (reset) cursor = null;
    const page = await load(cursor);
    if (reset) clear(body);
    body.append(...page.data.map((item) => row(item)));
    empty.hidden = body.children.length > 0;
    if (table) table.hidden = body.children.length === 0;
    cursor = page.next_cursor;
    more.hidden = !cursor;
  };
  const more = actionButton('Load more', { class: 'btn btn-secondary load-more', hidden: true, testid: 'load-more' }, () => next(false));
  return { more, reload: () => next(true) };
}

/**
 * A paged list of `path` narrowed by filters, each `{ param, label, testid }` with either `options` (a select) or,
 * without, a typed field (`placeholder`, `maxlength`; applied on Enter or when it is left), with a toolbar of those and
 * a Refresh button: changing a filter starts the list over. `values` are the filters to start with (by param), and `onChange(values)` is
 * told every change, to keep them with the view; `set(param, value)` changes one from elsewhere (a tag clicked in a row).
 */
export function filteredRows({ path, filters, refreshTestid, values = {}, onChange, ...rows }) {
  const inputs = filters.map((filter) => {
    const props = { id: nextId('filter'), testid: filter.testid };
    const input = filter.options ? selectInput(props, filter.options)
      : h('input', { ...props, type: 'search', placeholder: filter.placeholder, maxlength: filter.maxlength, autocomplete: 'off', spellcheck: 'false' });
    input.value = values[filter.param] || '';
    return { param: filter.param, input, field: field(filter.label, input, null, 'field field-compact') };
  });
  const params = () => Object.fromEntries(inputs.map((f) => [f.param, f.input.value.trim()]));
  let shown = JSON.stringify(params());
  const { more, reload } = pagedRows({ ...rows, load: (cursor) => readPage(path, cursor, params()) });
  const apply = () => {
    // Enter and then leaving the field both report a change: the list is read again only for a new filter.
    if (JSON.stringify(params()) === shown) return;
    shown = JSON.stringify(params());
    onChange?.(params());
    reload().catch((err) => reportError(err));
  };
  const refresh = actionButton('Refresh', { class: 'btn btn-secondary btn-small', testid: refreshTestid }, reload);
  for (const f of inputs) {
    f.input.addEventListener('change', apply);
    // A search field's clear button empties it without a change event.
    f.input.addEventListener('search', apply);
  }
  const set = (param, value) => {
    const target = inputs.find((f) => f.param === param);
    target.input.value = value;
    apply();
  };
  const toolbar = h('div', { class: 'toolbar' }, inputs.map((f) => f.field), h('div', { class: 'toolbar-end' }, refresh));
  return { toolbar, more, reload, set };
}
