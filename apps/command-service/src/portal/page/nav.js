// Navigation: in-page views, in the tab's history so Back works, the address bar untouched (its fragment once held
// the token).
import { ApiError } from './api.js';
import { $, clear, h } from './dom.js';
import { reportError } from './errors.js';
import { hideBanner } from './notices.js';
import { state } from './state.js';

/** The views by name, each `(view, app, current) => Promise`; given by the entry module, as the views link back here. */
const views = {};

/** The tab a view without one of its own belongs to. */
const TAB_OF = { endpoint: 'endpoints', message: 'messages' };

export function defineViews(byName) {
  Object.assign(views, byName);
}

export function go(view) {
  history.pushState({ portal: view }, '', location.pathname + location.search);
  render(view, true);
}

/**
 * Keeps a change within the view shown (its filters) in the tab's history entry, so Back from a message, a reload or
 * a tab restored comes back to the list as it was left. The address bar stays as it is.
 */
export function rememberView(view) {
  state.view = view;
  history.replaceState({ portal: view }, '', location.pathname + location.search);
}

export function render(view, moveFocus) {
  if (state.ended) return;
  const seq = ++state.seq;
  const current = () => seq === state.seq && !state.ended;
  state.view = views[view && view.name] ? view : { name: 'endpoints' };
  hideBanner();
  const tab = TAB_OF[state.view.name] || state.view.name;
  for (const el of document.querySelectorAll('[data-nav]')) {
    if (el.dataset.nav === tab) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  }
  const app = $('app');
  clear(app);
  app.setAttribute('aria-busy', 'true');
  views[state.view.name](state.view, app, current)
    .catch((err) => {
      if (!current()) return;
      if (err instanceof ApiError && err.status === 404) notFound(app, state.view);
      else reportError(err);
    })
    .finally(() => {
      if (!current()) return;
      app.removeAttribute('aria-busy');
      if (moveFocus) app.querySelector('h1')?.focus();
    });
}

/** The tabs, and Back and Forward between views. */
export function wireNav() {
  for (const tab of document.querySelectorAll('[data-nav]')) tab.addEventListener('click', () => go({ name: tab.dataset.nav }));
  window.addEventListener('popstate', (event) => render(event.state && event.state.portal, true));
}

function notFound(app, view) {
  const messages = view.name === 'message';
  app.replaceChildren(
    pageHead(messages ? 'Message not found' : 'Endpoint not found', {
      back: messages ? { label: 'All messages', view: { name: 'messages' } } : { label: 'All endpoints', view: { name: 'endpoints' } },
      testid: 'not-found',
    }),
    h('p', { class: 'muted' }, messages ? 'It may be older than the history kept here.' : 'It may have been deleted.'));
}

/** A view's title, with a way back and its actions (nulls among them left out: ones this session may not use). */
export function pageHead(title, { back, actions, testid } = {}) {
  const shown = (actions || []).filter(Boolean);
  return h('div', { class: 'page-head' },
    back ? h('button', { type: 'button', class: 'back', onclick: () => go(back.view), testid: 'back' }, '← ', back.label) : null,
    h('div', { class: 'page-head-row' },
      h('h1', { class: 'page-title', tabindex: '-1', testid }, title),
      shown.length ? h('div', { class: 'actions' }, shown) : null));
}
