// The consumer portal: a tenant's own customer manages their webhook endpoints and looks at (and resends) deliveries.
// Plain ES modules without a build step, each doing one thing; this one starts the page.
import './theme.js';
import { defineViews, render, wireNav } from './nav.js';
import { wireNotices } from './notices.js';
import { openSession, takeToken } from './session.js';
import { endpointView } from './view-endpoint.js';
import { endpointsView } from './view-endpoints.js';
import { eventTypesView } from './view-event-types.js';
import { failedView } from './view-failed.js';
import { messageView } from './view-message.js';
import { messagesView } from './view-messages.js';

defineViews({
  endpoints: endpointsView,
  endpoint: endpointView,
  messages: messagesView,
  message: messageView,
  failed: failedView,
  'event-types': eventTypesView,
});

async function start() {
  wireNav();
  wireNotices();
  // A new link pasted into this tab changes only the fragment, which loads nothing: start over with its token.
  window.addEventListener('hashchange', () => {
    if (!new URLSearchParams(location.hash.slice(1)).has('token')) return;
    takeToken();
    location.reload();
  });
  if (!(await openSession())) return;
  const view = (history.state && history.state.portal) || { name: 'endpoints' };
  history.replaceState({ portal: view }, '', location.pathname + location.search);
  render(view, false);
}

start();
