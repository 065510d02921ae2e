// The portal session: the token the page was opened with, the top bar that names whose settings these are (and says
// when they are only to look at), and the page that replaces everything once the session is over.
import { ApiError, fetchSession, problemText, sessionStillValid } from './api.js';
import { $, button, clear, h } from './dom.js';
import { clockTime, shortTime, timeEl } from './format.js';
import { hideBanner, settleConfirm } from './notices.js';
import { canChange, state } from './state.js';

// sessionStorage, not localStorage: the token lives as long as the tab, and a reload must not need the link again.
const TOKEN_KEY = 'hookline.portal.token';
// The session's end is shown in a warning colour from this long before it.
const EXPIRY_WARNING_MS = 10 * 60_000;
// setTimeout's longest delay; a session lasting longer is re-checked when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

let expiryTimer = 0;

/** The token from the link's fragment (then removed from the address bar and kept for this tab), or the kept one. */
export function takeToken() {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash) history.replaceState(fromLink ? null : history.state, '', location.pathname + location.search);
  try {
    if (fromLink) sessionStorage.setItem(TOKEN_KEY, fromLink);
    return fromLink || sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage refused (a sandboxed iframe): the token lives in memory, so a reload needs the link again.
    return fromLink;
  }
}

function forgetToken() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing kept
  }
}

const ENDED = {
  missing: {
    title: 'This link is incomplete or has expired',
    text: 'Ask for a new one from the application that sent you here: it opens your webhook settings with a fresh link.',
  },
  expired: {
    title: 'Your session has expired',
    text: 'This link is no longer valid: links to this page work for a limited time. Ask for a new one from the application that sent you here.',
  },
  invalid: {
    title: 'This link is not for this page',
    text: 'It does not open the webhook settings of an account. Ask for a new link from the application that sent you here.',
  },
};

export function showSessionEnded(reason) {
  state.ended = true;
  state.seq++;
  clearTimeout(expiryTimer);
  if (reason !== 'missing') forgetToken();
  state.token = null;
  settleConfirm(false);
  hideBanner();
  $('topbar').hidden = true;
  const app = $('app');
  app.removeAttribute('aria-busy');
  const { title, text } = ENDED[reason];
  app.replaceChildren(h('section', { class: 'card ended', testid: 'session-ended', 'data-reason': reason },
    h('div', { class: 'ended-mark', 'aria-hidden': 'true' }),
    h('h1', { class: 'ended-title', tabindex: '-1' }, title),
    h('p', { class: 'muted' }, text)));
  app.querySelector('h1').focus();
}

/**
 * Opens the session of the page's token: resolves whether the page may go on; when not, it already shows why (an
 * ended session, or a failure to start with a way to try again).
 */
export async function openSession() {
  state.token = takeToken();
  if (!state.token) return ended('missing');
  try {
    state.session = await fetchSession();
  } catch (err) {
    if (err.status === 401) return ended('expired');
    showStartFailure(err);
    return false;
  }
  if (!state.session.tenant_id) return ended('invalid');
  const meta = document.querySelector('meta[name="hookline-query-url"]');
  state.queryBase = String(state.session.query_url || (meta && meta.content) || '').replace(/\/+$/, '');
  showSessionInfo(state.session);
  return true;
}

function ended(reason) {
  showSessionEnded(reason);
  return false;
}

function showStartFailure(err) {
  const app = $('app');
  app.removeAttribute('aria-busy');
  const retry = button('Try again', { class: 'btn btn-primary' }, () => location.reload());
  app.replaceChildren(h('section', { class: 'card ended', testid: 'start-failed' },
    h('h1', { class: 'ended-title' }, 'The webhook settings could not be loaded'),
    h('p', { class: 'muted' }, err instanceof ApiError ? problemText(err.problem) : 'Something went wrong on this page.'),
    h('div', { class: 'actions' }, retry)));
  if (!(err instanceof ApiError)) console.error(err);
}

function showSessionInfo(session) {
  $('tenant-name').textContent = session.tenant_name || session.tenant_id;
  $('view-only-badge').hidden = canChange();
  const expiry = $('session-expiry');
  clear(expiry);
  if (session.expires_at) {
    const at = new Date(session.expires_at);
    const sameDay = at.toDateString() === new Date().toDateString();
    expiry.append('Session ends ', timeEl(session.expires_at, sameDay ? clockTime : shortTime));
    scheduleExpiry(at);
  }
  $('topbar').hidden = false;
}

/** Wakes once the warning is due, then at the end; the server has the last word (this clock may be off). */
function scheduleExpiry(at) {
  clearTimeout(expiryTimer);
  const left = at.getTime() - Date.now();
  $('session-expiry').classList.toggle('session-expiry-soon', left <= EXPIRY_WARNING_MS);
  if (left > 0) {
    const wake = left > EXPIRY_WARNING_MS ? left - EXPIRY_WARNING_MS : left;
    expiryTimer = setTimeout(() => scheduleExpiry(at), Math.min(wake + 100, MAX_TIMER_MS));
    return;
  }
  sessionStillValid().then(
    (valid) => {
      if (!valid) showSessionEnded('expired');
      else if (!state.ended) expiryTimer = setTimeout(() => scheduleExpiry(at), 30_000);
    },
    () => {
      expiryTimer = setTimeout(() => scheduleExpiry(at), 30_000);
    });
}
