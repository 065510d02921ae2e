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
 * A paged list of `path` narrowed by select filters (each `{ param, label, options, testid }`), with a toolbar of those
 * and a Refresh button: changing a filter starts the list over.
 */
export function filteredRows({ path, filters, refreshTestid, ...rows }) {
  const selects = filters.map((filter) => {
    const input = selectInput({ id: nextId('filter'), testid: filter.testid }, filter.options);
    return { param: filter.param, input, field: field(filter.label, input, null, 'field field-compact') };
  });
  const params = () => Object.fromEntries(selects.map((s) => [s.param, s.input.value]));
  const { more, reload } = pagedRows({ ...rows, load: (cursor) => readPage(path, cursor, params()) });
  const refresh = actionButton('Refresh', { class: 'btn btn-secondary btn-small', testid: refreshTestid }, reload);
  for (const s of selects) s.input.addEventListener('change', () => reload().catch((err) => reportError(err)));
  const toolbar = h('div', { class: 'toolbar' }, selects.map((s) => s.field), h('div', { class: 'toolbar-end' }, refresh));
  return { toolbar, more, reload };
}
