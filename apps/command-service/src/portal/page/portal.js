// The consumer portal: a tenant's own customer manages their webhook endpoints and looks at (and resends) deliveries.
// A plain script without a build step, served under a CSP that allows no inline code or style: every element is made
// here with createElement, and every value from the API goes in as text, never as markup (it is untrusted data).
'use strict';

(function portal() {
  // sessionStorage, not localStorage: the token lives as long as the tab, and a reload must not need the link again.
  const TOKEN_KEY = 'hookline.portal.token';
  const PAGE_SIZE = 25;
  // Enough for any tenant's catalog or endpoint list shown at once; beyond this a page would be unusable anyway.
  const MAX_PAGES = 8;
  const TOAST_MS = 6000;
  // The session's end is shown in a warning colour from this long before it.
  const EXPIRY_WARNING_MS = 10 * 60_000;
  // setTimeout's longest delay; a session lasting longer is re-checked when it fires.
  const MAX_TIMER_MS = 2 ** 31 - 1;

  const state = {
    token: null,
    session: null,
    queryBase: '',
    /** The latest write's position token: the next reads wait until the query service has applied it. */
    position: null,
    eventTypes: null,
    endpoints: null,
    view: { name: 'endpoints' },
    seq: 0,
    ended: false,
    expiryTimer: 0,
  };

  // ---------------------------------------------------------------------------------------------------------------
  // DOM helpers

  const $ = (id) => document.getElementById(id);

  /** An element; strings among the children become text nodes, so API data can never become markup. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key === 'testid') node.dataset.testid = value;
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const clear = (node) => node.replaceChildren();
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
  const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

  function timeEl(iso, format = shortTime) {
    if (!iso) return h('span', { class: 'muted' }, '—');
    const date = new Date(iso);
    return h('time', { datetime: iso, title: fullTime.format(date) }, format.format(date));
  }

  /** A `datetime-local` value (local time, to the minute) for an instant. */
  function localInputValue(date) {
    return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }

  function section(title, ...children) {
    const headingId = nextId('section');
    return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { class: 'card-title', id: headingId }, title), ...children);
  }

  function button(label, props, onClick) {
    return h('button', { type: 'button', class: 'btn btn-secondary', ...props, onclick: onClick }, label);
  }

  /** A click handler that disables its button while it runs and reports what fails. */
  function busy(btn, action, where) {
    return async (event) => {
      if (event) event.preventDefault();
      if (btn.disabled) return;
      btn.disabled = true;
      btn.setAttribute('aria-busy', 'true');
      try {
        await action();
      } catch (err) {
        reportError(err, where);
      } finally {
        btn.disabled = false;
        btn.removeAttribute('aria-busy');
      }
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Talking to the API

  class ApiError extends Error {
    constructor(status, problem, retryAfter) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
      this.retryAfter = retryAfter;
    }
  }

  async function request(base, method, path, { body, params } = {}) {
    // Appended, not resolved: the query service may sit under a path of its own (https://api.example.com/query).
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers = { accept: 'application/json, application/problem+json', authorization: `Bearer ${state.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'The webhook service could not be reached. Check your connection and try again.' });
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // a proxy's HTML error page: described below by its status
    }
    if (!response.ok) {
      const problem = json && typeof json === 'object' ? json : {};
      if (!problem.detail && !problem.title) problem.title = `The service answered ${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, problem, Number(response.headers.get('retry-after')) || 1);
    }
    return json;
  }

  const commandBase = () => location.origin;
  const tenantPath = (path) => `/v1/tenants/${encodeURIComponent(state.session.tenant_id)}${path}`;

  /** A change through the command service; its position makes the following reads wait for it (read-your-writes). */
  async function write(method, path, body) {
    const result = await request(commandBase(), method, tenantPath(path), { body });
    if (result && typeof result.position === 'string') state.position = result.position;
    if (path.startsWith('/endpoints')) state.endpoints = null;
    return result;
  }

  /** A read from the query service, after the latest write when there was one. */
  async function read(path, params = {}) {
    const position = state.position;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await request(state.queryBase, 'GET', path, { params: { ...params, position } });
        if (position && state.position === position) state.position = null;
        return result;
      } catch (err) {
        // 503: the read models have not applied our own write yet (the query waits only a few seconds for it).
        if (err.status === 503 && attempt < 4) {
          await sleep(err.retryAfter * 1000);
          continue;
        }
        // A session opened a moment ago is known to the query service once it has projected it: while the command
        // service still accepts the token, a 401 here is that lag, not an expired session.
        if (err.status === 401 && (await sessionStillValid())) {
          if (attempt >= 12) {
            throw new ApiError(503, { title: 'Not ready', detail: 'The delivery history does not know this session yet. Reload the page in a moment.' }, 1);
          }
          await sleep(Math.min(250 * attempt, 1500));
          continue;
        }
        throw err;
      }
    }
  }

  async function sessionStillValid() {
    try {
      await request(commandBase(), 'GET', '/v1/portal/session');
      return true;
    } catch (err) {
      if (err.status === 401) return false;
      throw err;
    }
  }

  /** Every page of a list, up to MAX_PAGES. */
  async function readAll(path, params = {}) {
    const items = [];
    let cursor;
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await read(path, { ...params, limit: 250, cursor });
      items.push(...page.data);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return items;
  }

  function eventTypes() {
    if (!state.eventTypes) {
      state.eventTypes = readAll('/v1/event-types').catch((err) => {
        state.eventTypes = null;
        throw err;
      });
    }
    return state.eventTypes;
  }

  /** The tenant's endpoints by id, to name them in the message views. */
  function endpointsById() {
    if (!state.endpoints) {
      state.endpoints = readAll('/v1/endpoints').then((list) => new Map(list.map((e) => [e.id, e]))).catch((err) => {
        state.endpoints = null;
        throw err;
      });
    }
    return state.endpoints;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Errors, notices and confirmations

  let toastTimer = 0;

  function toast(message) {
    const node = $('toast');
    node.textContent = message;
    node.classList.add('toast-shown');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => node.classList.remove('toast-shown'), TOAST_MS);
  }

  function showBanner(message) {
    $('banner-text').textContent = message;
    $('banner').hidden = false;
  }

  function hideBanner() {
    $('banner').hidden = true;
  }

  /**
   * Shows a failure where it belongs: an ended session replaces the page; a refused request (4xx) is explained next to
   * the form it came from when there is one; an outage (network, 5xx) goes to the banner.
   */
  function reportError(err, where) {
    if (state.ended) return;
    if (!(err instanceof ApiError)) {
      // A bug of this page: say so, and leave the details to the developer console.
      console.error(err);
      showBanner('Something went wrong on this page. Reload it and try again.');
      return;
    }
    if (err.status === 401) {
      showSessionEnded('expired');
      return;
    }
    if (err.status === 0 || err.status >= 500) {
      const detail = err.status === 503 ? 'The service is busy catching up. Try again in a moment.' : err.problem.detail || err.problem.title;
      showBanner(err.status === 0 ? err.problem.detail : `Something went wrong on our side: ${detail}`);
      return;
    }
    if (where) where.show(err.problem);
    else showBanner(err.problem.detail || err.problem.title);
  }

  /**
   * A form's error area: the problem's detail at the top, each field error under its field (matched by the JSON
   * pointer's first segment), and the field errors without a field of this form listed at the top too.
   */
  function problemArea(form, fields) {
    const summary = h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
    form.prepend(summary);
    const area = {
      clear() {
        summary.hidden = true;
        clear(summary);
        for (const field of Object.values(fields)) {
          field.error.hidden = true;
          field.error.textContent = '';
          field.input?.removeAttribute('aria-invalid');
        }
      },
      show(problem) {
        area.clear();
        const unplaced = [];
        for (const error of problem.errors || []) {
          const name = String(error.pointer || '').split('/')[1];
          const field = fields[name];
          if (!field) {
            unplaced.push(error.detail);
            continue;
          }
          field.error.textContent = field.error.textContent ? `${field.error.textContent}; ${error.detail}` : error.detail;
          field.error.hidden = false;
          field.input?.setAttribute('aria-invalid', 'true');
        }
        const placed = (problem.errors || []).filter((e) => !unplaced.includes(e.detail)).map((e) => e.detail);
        const detail = problem.detail || problem.title || 'The request was refused.';
        // A detail that only repeats the one field error would say it twice.
        summary.append(h('p', null, placed.length === 1 && placed[0] === detail ? 'Please correct the field marked below.' : detail));
        if (unplaced.length) summary.append(h('ul', null, unplaced.map((d) => h('li', null, d))));
        summary.hidden = false;
      },
      field(name, message) {
        area.show({ detail: 'Please correct the highlighted field.', errors: [{ pointer: `/${name}`, detail: message }] });
      },
    };
    return area;
  }

  let confirmResolve = null;

  /** An in-page confirmation: window.confirm is blocked in sandboxed iframes, where platforms may embed the portal. */
  function confirmAction({ title, text, ok, danger }) {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    const okButton = $('confirm-ok');
    okButton.textContent = ok;
    okButton.className = `btn ${danger ? 'btn-danger' : 'btn-primary'}`;
    dialog.showModal();
    $('confirm-cancel').focus();
    return new Promise((resolve) => {
      confirmResolve = resolve;
    });
  }

  function settleConfirm(answer) {
    const resolve = confirmResolve;
    confirmResolve = null;
    if ($('confirm').open) $('confirm').close();
    if (resolve) resolve(answer);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Session

  /** The token from the link's fragment (then removed from the address bar and kept for this tab), or the kept one. */
  function takeToken() {
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

  function showSessionEnded(reason) {
    state.ended = true;
    state.seq++;
    clearTimeout(state.expiryTimer);
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

  function showSessionInfo(session) {
    $('tenant-name').textContent = session.tenant_name || session.tenant_id;
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
    clearTimeout(state.expiryTimer);
    const left = at.getTime() - Date.now();
    $('session-expiry').classList.toggle('session-expiry-soon', left <= EXPIRY_WARNING_MS);
    if (left > 0) {
      const wake = left > EXPIRY_WARNING_MS ? left - EXPIRY_WARNING_MS : left;
      state.expiryTimer = setTimeout(() => scheduleExpiry(at), Math.min(wake + 100, MAX_TIMER_MS));
      return;
    }
    sessionStillValid().then(
      (valid) => {
        if (!valid) showSessionEnded('expired');
        else if (!state.ended) state.expiryTimer = setTimeout(() => scheduleExpiry(at), 30_000);
      },
      () => {
        state.expiryTimer = setTimeout(() => scheduleExpiry(at), 30_000);
      });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Navigation: in-page views, in the tab's history so Back works, the address bar untouched.

  const VIEWS = {
    endpoints: endpointsView,
    endpoint: endpointView,
    messages: messagesView,
    message: messageView,
    'event-types': eventTypesView,
  };

  function go(view) {
    history.pushState({ portal: view }, '', location.pathname + location.search);
    render(view, true);
  }

  function render(view, moveFocus) {
    if (state.ended) return;
    const seq = ++state.seq;
    const current = () => seq === state.seq && !state.ended;
    state.view = VIEWS[view && view.name] ? view : { name: 'endpoints' };
    hideBanner();
    const tab = state.view.name === 'event-types' ? 'event-types' : state.view.name.startsWith('endpoint') ? 'endpoints' : 'messages';
    for (const el of document.querySelectorAll('[data-nav]')) {
      if (el.dataset.nav === tab) el.setAttribute('aria-current', 'page');
      else el.removeAttribute('aria-current');
    }
    const app = $('app');
    clear(app);
    app.setAttribute('aria-busy', 'true');
    VIEWS[state.view.name](state.view, app, current)
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

  function notFound(app, view) {
    const messages = view.name === 'message';
    app.replaceChildren(
      pageHead(messages ? 'Message not found' : 'Endpoint not found', {
        back: messages ? { label: 'All messages', view: { name: 'messages' } } : { label: 'All endpoints', view: { name: 'endpoints' } },
        testid: 'not-found',
      }),
      h('p', { class: 'muted' }, messages ? 'It may be older than the history kept here.' : 'It may have been deleted.'));
  }

  function pageHead(title, { back, actions, testid } = {}) {
    return h('div', { class: 'page-head' },
      back ? h('button', { type: 'button', class: 'back', onclick: () => go(back.view), testid: 'back' }, '← ', back.label) : null,
      h('div', { class: 'page-head-row' },
        h('h1', { class: 'page-title', tabindex: '-1', testid }, title),
        actions ? h('div', { class: 'actions' }, actions) : null));
  }

  /** A list that grows with "Load more" while the API has a next page. */
  function pager(load, onItems) {
    let cursor = null;
    const more = h('button', { type: 'button', class: 'btn btn-secondary load-more', hidden: true, testid: 'load-more' }, 'Load more');
    const next = async (reset) => {
      if (reset) cursor = null;
      const page = await load(cursor);
      onItems(page.data, reset);
      cursor = page.next_cursor;
      more.hidden = !cursor;
    };
    more.addEventListener('click', busy(more, () => next(false)));
    return { more, next };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Wording and badges

  const ENDPOINT_STATUS = {
    enabled: { text: 'Enabled', tone: 'ok' },
    disabled: { text: 'Disabled', tone: 'off' },
    pending_approval: { text: 'Waiting for approval', tone: 'warn' },
    deleted: { text: 'Deleted', tone: 'off' },
  };

  const DISABLED_REASON = {
    manual: 'Turned off by hand.',
    gone: 'Your server answered 410 Gone, which asks for webhooks to stop.',
    failing: 'Turned off after failing for too long.',
    rejected: 'Its subscription was not approved.',
  };

  const DELIVERY_STATUS = {
    pending: { text: 'Pending', tone: 'info' },
    retrying: { text: 'Retrying', tone: 'warn' },
    succeeded: { text: 'Succeeded', tone: 'ok' },
    failed: { text: 'Failed', tone: 'bad' },
    dead_lettered: { text: 'Failed, gave up', tone: 'bad' },
    dropped: { text: 'Dropped', tone: 'off' },
  };

  const BREAKER = {
    closed: 'Closed: deliveries flow normally',
    open: 'Open: deliveries paused after repeated failures',
    half_open: 'Half-open: testing whether your server recovered',
  };

  function badge(known, value, testid) {
    const entry = known[value] || { text: String(value || 'unknown'), tone: 'off' };
    return h('span', { class: `badge badge-${entry.tone}`, testid }, entry.text);
  }

  function disabledNote(endpoint) {
    if (endpoint.status === 'pending_approval') return 'It receives messages once its event types are approved.';
    if (endpoint.status !== 'disabled') return null;
    const reason = DISABLED_REASON[endpoint.disabled_reason] || null;
    const detail = endpoint.disabled_detail && endpoint.disabled_detail !== reason ? endpoint.disabled_detail : null;
    return [reason, detail].filter(Boolean).join(' ') || null;
  }

  function eventTypeChips(types) {
    if (types === null || types === undefined) return h('p', { class: 'chips' }, h('span', { class: 'chip chip-all' }, 'All event types'));
    if (!types.length) return h('p', { class: 'chips' }, h('span', { class: 'chip chip-none' }, 'No event types'));
    return h('ul', { class: 'chips', 'aria-label': 'Event types' }, types.map((t) => h('li', { class: 'chip' }, t)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signing secrets, shown once

  function secretPanel(slot, { title, secret, publicKey, note }) {
    const code = h('code', { class: 'secret', testid: 'endpoint-secret' }, secret);
    const copyButton = button('Copy', { class: 'btn btn-primary btn-small', testid: 'copy-secret' });
    copyButton.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(secret);
        copyButton.textContent = 'Copied';
      } catch {
        // No clipboard (an insecure context, a denied permission): select it for the user's own copy.
        getSelection().selectAllChildren(code);
        copyButton.textContent = 'Selected: press Ctrl+C';
      }
    });
    const panel = section(title,
      h('p', null, 'Your server uses this secret to check that webhooks come from us. ', h('strong', null, 'Copy it now: it won’t be shown again.')),
      h('div', { class: 'secret-row' }, code, copyButton),
      publicKey ? h('p', { class: 'muted' }, 'Public key (for verifying ed25519 signatures): ', h('code', { class: 'secret' }, publicKey)) : null,
      note ? h('p', { class: 'muted' }, note) : null,
      h('div', { class: 'actions' }, button('I’ve saved it', { testid: 'secret-done' }, () => clear(slot))));
    panel.classList.add('secret-card');
    panel.dataset.testid = 'secret-panel';
    slot.replaceChildren(panel);
    panel.scrollIntoView({ block: 'nearest' });
    copyButton.focus();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Endpoint form (add and edit)

  /**
   * The URL, description and event types of an endpoint. `endpoint` is the one being edited, or null to add one.
   * Resolves the request body on submit (only the changed fields when editing), or null when nothing changed.
   */
  function endpointForm({ endpoint, catalog, submitLabel, onSubmit, onCancel }) {
    const fieldIds = { url: nextId('url'), description: nextId('description'), types: nextId('types') };
    const urlInput = h('input', {
      id: fieldIds.url, name: 'url', type: 'url', required: true, maxlength: 2048, autocomplete: 'off', spellcheck: 'false',
      placeholder: 'https://example.com/webhooks', value: endpoint ? endpoint.url : '', testid: 'endpoint-url',
      'aria-describedby': `${fieldIds.url}-error`,
    });
    const descriptionInput = h('input', {
      id: fieldIds.description, name: 'description', type: 'text', maxlength: 2000, autocomplete: 'off',
      placeholder: 'What this endpoint is for (optional)', value: endpoint ? endpoint.description || '' : '', testid: 'endpoint-description',
      'aria-describedby': `${fieldIds.description}-error`,
    });
    const fieldError = (id) => h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const errors = { url: fieldError(fieldIds.url), description: fieldError(fieldIds.description), event_types: fieldError(fieldIds.types) };

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
      h('div', { class: 'field' }, h('label', { for: fieldIds.url }, 'Endpoint URL'), urlInput, errors.url),
      h('div', { class: 'field' }, h('label', { for: fieldIds.description }, 'Description'), descriptionInput, errors.description),
      fieldset,
      h('div', { class: 'actions' }, submit, onCancel ? button('Cancel', { testid: 'endpoint-cancel' }, onCancel) : null));
    const problems = problemArea(form, {
      url: { input: urlInput, error: errors.url },
      description: { input: descriptionInput, error: errors.description },
      event_types: { input: null, error: errors.event_types },
    });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(submit, async () => {
        problems.clear();
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
        if (endpoint && !Object.keys(body).length) {
          toast('Nothing to save: no setting changed.');
          return;
        }
        await onSubmit(body);
      }, problems)();
    });
    return { form, focus: () => urlInput.focus() };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // View: endpoint list

  async function endpointsView(_view, app, current) {
    // Event types the platform added meanwhile show up in the next form.
    state.eventTypes = null;
    const secretSlot = h('div', { class: 'slot' });
    const formSlot = h('div', { class: 'slot' });
    const list = h('ul', { class: 'endpoint-list', testid: 'endpoint-list', 'aria-label': 'Endpoints' });
    const empty = h('div', { class: 'empty card', testid: 'endpoints-empty', hidden: true },
      h('p', { class: 'empty-title' }, 'No endpoints yet'),
      h('p', { class: 'muted' }, 'Add the URL of your server that should receive webhooks.'));
    const addButton = h('button', { type: 'button', class: 'btn btn-primary', testid: 'add-endpoint', 'aria-expanded': 'false' }, 'Add endpoint');

    const { more, next } = pager(
      (cursor) => read('/v1/endpoints', { limit: PAGE_SIZE, cursor }),
      (items, reset) => {
        if (reset) clear(list);
        list.append(...items.map((e) => endpointRow(e, reload)));
        empty.hidden = list.children.length > 0;
      });
    const reload = () => next(true);

    const closeForm = () => {
      clear(formSlot);
      addButton.setAttribute('aria-expanded', 'false');
      addButton.hidden = false;
    };
    addButton.addEventListener('click', busy(addButton, async () => {
      const catalog = await eventTypes();
      if (!current()) return;
      const { form, focus } = endpointForm({
        endpoint: null, catalog, submitLabel: 'Create endpoint', onCancel: closeForm,
        onSubmit: async (body) => {
          const created = await write('POST', '/endpoints', body);
          closeForm();
          secretPanel(secretSlot, {
            title: 'Endpoint created', secret: created.secret, publicKey: created.public_key,
            note: created.status === 'pending_approval' ? 'It receives messages once its event types are approved.' : null,
          });
          await reload();
        },
      });
      formSlot.replaceChildren(section('Add an endpoint', form));
      addButton.setAttribute('aria-expanded', 'true');
      addButton.hidden = true;
      focus();
    }));

    app.append(
      pageHead('Endpoints', { actions: [addButton] }),
      h('p', { class: 'lead muted' }, 'The URLs of your servers that receive webhooks, and what each one receives.'),
      secretSlot, formSlot, empty, list, more);
    await reload();
  }

  function endpointRow(endpoint, reload) {
    const open = () => go({ name: 'endpoint', id: endpoint.id });
    const note = disabledNote(endpoint);
    const actions = [button('Details', { class: 'btn btn-secondary btn-small', testid: 'endpoint-open', 'aria-label': `Details of ${endpoint.url}` }, open)];
    if (endpoint.status === 'enabled' || endpoint.status === 'disabled') {
      const enabling = endpoint.status === 'disabled';
      const toggle = button(enabling ? 'Enable' : 'Disable', { class: 'btn btn-secondary btn-small', testid: 'endpoint-toggle' });
      toggle.addEventListener('click', busy(toggle, async () => {
        await write('POST', `/endpoints/${encodeURIComponent(endpoint.id)}/${enabling ? 'enable' : 'disable'}`, {});
        toast(enabling ? 'Endpoint enabled.' : 'Endpoint disabled: it receives nothing until you enable it again.');
        await reload();
      }));
      actions.push(toggle);
    }
    const remove = button('Delete', { class: 'btn btn-danger-ghost btn-small', testid: 'endpoint-delete' });
    remove.addEventListener('click', busy(remove, async () => {
      if (!(await deleteEndpoint(endpoint))) return;
      await reload();
    }));
    actions.push(remove);

    return h('li', { class: 'card endpoint-card', testid: 'endpoint-row', 'data-endpoint-id': endpoint.id, 'data-status': endpoint.status },
      h('div', { class: 'endpoint-main' },
        h('button', { type: 'button', class: 'link endpoint-url', onclick: open, testid: 'endpoint-url-link' }, endpoint.url),
        endpoint.description ? h('p', { class: 'endpoint-description' }, endpoint.description) : null,
        eventTypeChips(endpoint.event_types)),
      h('div', { class: 'endpoint-side' },
        badge(ENDPOINT_STATUS, endpoint.status, 'endpoint-status'),
        note ? h('p', { class: 'status-note', testid: 'endpoint-status-note' }, note) : null,
        h('div', { class: 'actions actions-tight' }, actions)));
  }

  async function deleteEndpoint(endpoint) {
    const sure = await confirmAction({
      title: 'Delete this endpoint?',
      text: `${endpoint.url} stops receiving webhooks at once, including retries that are waiting. This can’t be undone.`,
      ok: 'Delete endpoint', danger: true,
    });
    if (!sure) return false;
    await write('DELETE', `/endpoints/${encodeURIComponent(endpoint.id)}`);
    toast('Endpoint deleted.');
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // View: one endpoint

  async function endpointView(view, app, current) {
    const id = view.id;
    const path = `/v1/endpoints/${encodeURIComponent(id)}`;
    const [endpoint, catalog, health] = await Promise.all([read(path), eventTypes(), read(`${path}/health`)]);
    if (!current()) return;
    const refresh = () => render(view);

    const secretSlot = h('div', { class: 'slot' });
    const actions = [];
    if (endpoint.status === 'enabled' || endpoint.status === 'disabled') {
      const enabling = endpoint.status === 'disabled';
      const toggle = button(enabling ? 'Enable' : 'Disable', { testid: 'endpoint-toggle' });
      toggle.addEventListener('click', busy(toggle, async () => {
        await write('POST', `/endpoints/${encodeURIComponent(id)}/${enabling ? 'enable' : 'disable'}`, {});
        toast(enabling ? 'Endpoint enabled.' : 'Endpoint disabled: it receives nothing until you enable it again.');
        refresh();
      }));
      actions.push(toggle);
    }
    const rotate = button('Rotate secret', { testid: 'rotate-secret' });
    rotate.addEventListener('click', busy(rotate, async () => {
      const sure = await confirmAction({
        title: 'Rotate the signing secret?',
        text: 'A new secret is made. The current one keeps signing webhooks for a while too, so you can update your server without missing any.',
        ok: 'Rotate secret',
      });
      if (!sure) return;
      const rotated = await write('POST', `/endpoints/${encodeURIComponent(id)}/rotate-secret`, {});
      secretPanel(secretSlot, {
        title: 'New signing secret', secret: rotated.secret, publicKey: rotated.public_key,
        note: rotated.previous_secrets_expire_at
          ? `The previous secret keeps working until ${fullTime.format(new Date(rotated.previous_secrets_expire_at))}.` : null,
      });
    }));
    actions.push(rotate);
    const remove = button('Delete', { class: 'btn btn-danger-ghost', testid: 'endpoint-delete' });
    remove.addEventListener('click', busy(remove, async () => {
      if (await deleteEndpoint(endpoint)) go({ name: 'endpoints' });
    }));
    actions.push(remove);

    const note = disabledNote(endpoint);
    const settings = endpointForm({
      endpoint, catalog, submitLabel: 'Save changes',
      onSubmit: async (body) => {
        await write('PATCH', `/endpoints/${encodeURIComponent(id)}`, body);
        toast('Changes saved.');
        refresh();
      },
    });

    const attempts = attemptsSection({
      load: (cursor, filters) => read(`${path}/attempts`, { limit: PAGE_SIZE, cursor, ...filters }),
      columns: ['time', 'event', 'message', 'outcome', 'http', 'duration', 'error', 'resend'],
      resend: (attempt) => ({ messageId: attempt.message_id, endpointId: id }),
    });

    app.append(
      pageHead(endpoint.url, {
        back: { label: 'All endpoints', view: { name: 'endpoints' } }, actions, testid: 'endpoint-title',
      }),
      h('div', { class: 'meta' },
        badge(ENDPOINT_STATUS, endpoint.status, 'endpoint-status'),
        note ? h('span', { class: 'status-note' }, note) : null,
        h('span', { class: 'meta-item' }, 'ID ', h('code', null, endpoint.id)),
        h('span', { class: 'meta-item' }, 'Created ', timeEl(endpoint.created_at))),
      secretSlot,
      h('div', { class: 'grid-2' },
        section('Settings', settings.form),
        healthSection(health)),
      endpoint.status === 'enabled' ? testMessageSection(endpoint, catalog, () => attempts.reload()) : null,
      recoverSection(id),
      attempts.node);
    if (!current()) return;
    await attempts.reload();
  }

  /** Send one message of a type to this endpoint: the payload typed in, or an example made from the type's schema. */
  function testMessageSection(endpoint, catalog, afterSend) {
    const types = catalog.map((t) => t.name).filter((name) => !endpoint.event_types || endpoint.event_types.includes(name));
    if (!types.length) return null;
    const typeId = nextId('test-type');
    const payloadId = nextId('test-payload');
    const type = h('select', { id: typeId, name: 'event_type', testid: 'test-event-type' }, types.map((name) => h('option', { value: name }, name)));
    const payload = h('textarea', {
      id: payloadId, name: 'payload', rows: 4, spellcheck: 'false', class: 'mono', testid: 'test-payload',
      placeholder: 'Leave empty for an example made from the event type’s schema', 'aria-describedby': `${payloadId}-error`,
    });
    const payloadError = h('p', { class: 'field-error', id: `${payloadId}-error`, hidden: true });
    const sent = h('div', { class: 'slot' });
    const submit = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'test-submit' }, 'Send test message');
    const form = h('form', { class: 'form' },
      h('div', { class: 'field' }, h('label', { for: typeId }, 'Event type'), type),
      h('div', { class: 'field' }, h('label', { for: payloadId }, 'Payload (JSON, optional)'), payload, payloadError),
      h('div', { class: 'actions' }, submit));
    const problems = problemArea(form, { payload: { input: payload, error: payloadError } });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(submit, async () => {
        problems.clear();
        const body = { event_type: type.value };
        if (payload.value.trim()) {
          try {
            body.payload = JSON.parse(payload.value);
          } catch {
            return problems.field('payload', 'This is not valid JSON.');
          }
        }
        const result = await write('POST', `/endpoints/${encodeURIComponent(endpoint.id)}/test`, body);
        clear(sent);
        sent.append(h('p', { class: 'muted' }, 'Sent message ', h('code', { testid: 'test-message-id' }, result.id), ' with this payload:'),
          h('pre', { class: 'code', tabindex: '0', testid: 'test-sent-payload' }, JSON.stringify(result.payload, null, 2)));
        toast('Test message sent: its attempt shows below in a moment.');
        await afterSend();
      }, problems)();
    });
    return section('Send a test message',
      h('p', { class: 'muted' }, 'See what a webhook of a type looks like, and check that your server takes it: it is signed and logged like every message.'),
      form, sent);
  }

  function healthSection(health) {
    const rows = [
      ['Success rate', health.success_rate === null ? 'No attempts yet'
        : `${percent.format(health.success_rate)} (${health.successes} of ${health.attempts} attempts)`],
      ['Latency', health.latency_p50_ms === null ? '—' : `p50 ${health.latency_p50_ms} ms · p95 ${health.latency_p95_ms} ms`],
      ['Last attempt', timeEl(health.last_attempt_at)],
      ['Last success', timeEl(health.last_success_at)],
      ['Last failure', timeEl(health.last_failure_at)],
      ['Last error', health.last_error || '—'],
      ['Circuit breaker', BREAKER[health.breaker_state] || health.breaker_state],
    ];
    if (health.auto_disabled) {
      rows.push(['Turned off', h('span', null, DISABLED_REASON[health.auto_disabled.reason] || health.auto_disabled.reason, ' ', timeEl(health.auto_disabled.at))]);
    }
    if (health.client_certificate) {
      const cert = health.client_certificate;
      rows.push(['Client certificate', h('span', null, 'Valid until ', timeEl(cert.not_after),
        cert.warning ? h('strong', { class: 'text-warn' }, cert.warning.stage === 'expired' ? ' — expired' : ' — expiring soon') : null)]);
    }
    const statusCodes = Object.entries(health.status_codes || {}).sort(([a], [b]) => a.localeCompare(b));
    if (statusCodes.length) rows.push(['Status codes', statusCodes.map(([code, count]) => `${code}: ${count}`).join(' · ')]);
    return section('Health',
      h('dl', { class: 'facts', testid: 'endpoint-health' }, rows.map(([term, value]) => [h('dt', null, term), h('dd', null, value)])));
  }

  function recoverSection(endpointId) {
    const id = nextId('since');
    const since = h('input', {
      id, type: 'datetime-local', required: true, name: 'since', testid: 'recover-since',
      value: localInputValue(new Date(Date.now() - 24 * 3600_000)), max: localInputValue(new Date()), 'aria-describedby': `${id}-error`,
    });
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'recover-submit' }, 'Recover failed messages');
    const form = h('form', { class: 'form form-inline' },
      h('div', { class: 'field' }, h('label', { for: id }, 'Failed since'), since, error),
      h('div', { class: 'actions' }, submit));
    const problems = problemArea(form, { since: { input: since, error } });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(submit, async () => {
        problems.clear();
        const at = new Date(since.value);
        if (Number.isNaN(at.getTime())) return problems.field('since', 'Enter a date and time.');
        if (at.getTime() > Date.now()) return problems.field('since', 'Choose a time in the past.');
        const result = await write('POST', `/endpoints/${encodeURIComponent(endpointId)}/recover`, { since: at.toISOString() });
        toast(`Failed messages since ${fullTime.format(new Date(result.since || at))} are being sent again.`);
      }, problems)();
    });
    return section('Recover failed messages',
      h('p', { class: 'muted' }, 'Fixed a problem on your server? Send again every message that failed to reach this endpoint since a point in time.'),
      form);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Attempt tables (of an endpoint, of a message)

  const OUTCOMES = [['', 'All outcomes'], ['succeeded', 'Succeeded'], ['failed', 'Failed']];
  const STATUS_CLASSES = [['', 'Any HTTP status'], ['2xx', '2xx'], ['3xx', '3xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['none', 'No response']];
  const COLUMN_TITLES = {
    time: 'Time', event: 'Event type', message: 'Message', endpoint: 'Endpoint', outcome: 'Outcome', http: 'HTTP',
    duration: 'Duration', error: 'Error', resend: 'Action',
  };

  function select(label, options, testid) {
    const id = nextId('filter');
    const node = h('select', { id, testid }, options.map(([value, text]) => h('option', { value }, text)));
    return { node, field: h('div', { class: 'field field-compact' }, h('label', { for: id }, label), node) };
  }

  /**
   * A section listing delivery attempts, newest first, with outcome and status-class filters, Refresh and Load more.
   * `resend(attempt)` names what its Resend button sends again.
   */
  function attemptsSection({ load, columns, resend, endpointNames }) {
    const outcome = select('Outcome', OUTCOMES, 'filter-outcome');
    const statusClass = select('HTTP status', STATUS_CLASSES, 'filter-status');
    const tbody = h('tbody');
    const empty = h('p', { class: 'empty-inline muted', testid: 'attempts-empty', hidden: true },
      'No delivery attempts yet. They appear here a moment after a message is sent.');
    const table = h('table', { class: 'table', testid: 'attempts-table' },
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: `col-${c}` }, COLUMN_TITLES[c])))),
      tbody);
    const { more, next } = pager(
      (cursor) => load(cursor, { outcome: outcome.node.value, status_code_class: statusClass.node.value }),
      (items, reset) => {
        if (reset) clear(tbody);
        tbody.append(...items.map((a) => attemptRow(a, columns, resend, endpointNames)));
        empty.hidden = tbody.children.length > 0;
        table.hidden = tbody.children.length === 0;
      });
    const refreshButton = button('Refresh', { class: 'btn btn-secondary btn-small', testid: 'attempts-refresh' });
    const reload = () => next(true);
    refreshButton.addEventListener('click', busy(refreshButton, reload));
    for (const filter of [outcome.node, statusClass.node]) filter.addEventListener('change', () => reload().catch((err) => reportError(err)));

    const node = section('Delivery attempts',
      h('div', { class: 'toolbar' }, outcome.field, statusClass.field, h('div', { class: 'toolbar-end' }, refreshButton)),
      empty, h('div', { class: 'table-wrap' }, table), more);
    node.dataset.testid = 'attempts';
    return { node, reload };
  }

  function attemptRow(attempt, columns, resend, endpointNames) {
    const cell = (column, ...content) => h('td', { class: `col-${column}`, 'data-label': COLUMN_TITLES[column] }, ...content);
    const cells = {
      time: () => cell('time', timeEl(attempt.started_at || attempt.created_at)),
      event: () => cell('event', h('span', { class: 'mono' }, attempt.event_type)),
      message: () => cell('message', h('button', {
        type: 'button', class: 'link mono', testid: 'attempt-message', onclick: () => go({ name: 'message', id: attempt.message_id }),
      }, attempt.message_id)),
      endpoint: () => cell('endpoint', endpointLink(attempt.endpoint_id, endpointNames)),
      outcome: () => cell('outcome',
        h('span', { class: `badge badge-${attempt.succeeded ? 'ok' : 'bad'}`, testid: 'attempt-outcome' }, attempt.succeeded ? 'Succeeded' : 'Failed'),
        h('span', { class: 'sub' }, `#${attempt.attempt} · ${attempt.trigger}`)),
      http: () => cell('http', h('span', { class: 'mono', testid: 'attempt-status' }, attempt.response ? String(attempt.response.status) : '—')),
      duration: () => cell('duration', attempt.latency_ms === null || attempt.latency_ms === undefined ? '—' : `${attempt.latency_ms} ms`),
      error: () => cell('error', attempt.error ? h('span', { class: 'error-text', title: attempt.error.class }, attempt.error.message || attempt.error.class) : '—'),
      resend: () => {
        const target = resend(attempt);
        const btn = button('Resend', { class: 'btn btn-secondary btn-small', testid: 'attempt-resend' });
        btn.addEventListener('click', busy(btn, () => resendMessage(target.messageId, target.endpointId)));
        return cell('resend', btn);
      },
    };
    return h('tr', {
      testid: 'attempt-row', 'data-message-id': attempt.message_id, 'data-attempt-id': attempt.id,
      'data-outcome': attempt.succeeded ? 'succeeded' : 'failed',
    }, columns.map((c) => cells[c]()));
  }

  async function resendMessage(messageId, endpointId) {
    await write('POST', `/messages/${encodeURIComponent(messageId)}/resend`, { endpoint_id: endpointId });
    toast('Message queued to be sent again. Refresh the attempts in a moment to see how it went.');
  }

  function endpointLink(endpointId, names) {
    const endpoint = names && names.get(endpointId);
    if (!endpoint) return h('span', { class: 'mono muted', title: 'This endpoint was deleted' }, endpointId, ' (deleted)');
    return h('button', { type: 'button', class: 'link endpoint-ref', onclick: () => go({ name: 'endpoint', id: endpointId }) }, endpoint.url);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // View: messages

  async function messagesView(_view, app, current) {
    const [catalog, names] = await Promise.all([eventTypes(), endpointsById()]);
    if (!current()) return;
    const typeFilter = select('Event type', [['', 'All event types'], ...catalog.map((t) => [t.name, t.name])], 'filter-event-type');
    const statusFilter = select('Delivery', [['', 'Any delivery status'], ...Object.entries(DELIVERY_STATUS).map(([v, s]) => [v, s.text])], 'filter-delivery');
    const tbody = h('tbody');
    const empty = h('div', { class: 'empty card', testid: 'messages-empty', hidden: true },
      h('p', { class: 'empty-title' }, 'No messages'),
      h('p', { class: 'muted' }, 'Messages sent to your endpoints show up here.'));
    const table = h('table', { class: 'table', testid: 'messages-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Event type'), h('th', { scope: 'col' }, 'Message'),
        h('th', { scope: 'col' }, 'Deliveries'))),
      tbody);
    const { more, next } = pager(
      (cursor) => read('/v1/messages', { limit: PAGE_SIZE, cursor, event_type: typeFilter.node.value, status: statusFilter.node.value }),
      (items, reset) => {
        if (reset) clear(tbody);
        tbody.append(...items.map((m) => messageRow(m, names)));
        empty.hidden = tbody.children.length > 0;
        table.hidden = tbody.children.length === 0;
      });
    const reload = () => next(true);
    const refreshButton = button('Refresh', { class: 'btn btn-secondary btn-small', testid: 'messages-refresh' });
    refreshButton.addEventListener('click', busy(refreshButton, reload));
    for (const filter of [typeFilter.node, statusFilter.node]) filter.addEventListener('change', () => reload().catch((err) => reportError(err)));

    app.append(
      pageHead('Messages'),
      h('p', { class: 'lead muted' }, 'Recent messages and how their delivery to each of your endpoints went.'),
      h('div', { class: 'card' },
        h('div', { class: 'toolbar' }, typeFilter.field, statusFilter.field, h('div', { class: 'toolbar-end' }, refreshButton)),
        h('div', { class: 'table-wrap' }, table), more),
      empty);
    await reload();
  }

  function messageRow(message, names) {
    const open = () => go({ name: 'message', id: message.id });
    return h('tr', { testid: 'message-row', 'data-message-id': message.id },
      h('td', { 'data-label': 'Time' }, timeEl(message.created_at)),
      h('td', { 'data-label': 'Event type' }, h('span', { class: 'mono' }, message.event_type)),
      h('td', { 'data-label': 'Message' }, h('button', { type: 'button', class: 'link mono', onclick: open, testid: 'message-open' }, message.id)),
      h('td', { 'data-label': 'Deliveries' }, deliverySummary(message.deliveries, names)));
  }

  function deliverySummary(deliveries, names) {
    if (!deliveries || !deliveries.length) return h('span', { class: 'muted' }, 'None of your endpoints receives it');
    return h('ul', { class: 'delivery-list' }, deliveries.map((d) => {
      const endpoint = names.get(d.endpoint_id);
      return h('li', null, badge(DELIVERY_STATUS, d.status), ' ',
        h('span', { class: 'delivery-target', title: d.endpoint_id }, endpoint ? endpoint.url : `${d.endpoint_id} (deleted)`));
    }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // View: the event catalog (what an endpoint can subscribe to, and what each message carries)

  async function eventTypesView(_view, app, current) {
    const [catalog, endpoints] = await Promise.all([eventTypes(), readAll('/v1/endpoints')]);
    if (!current()) return;
    const receivers = (name) => endpoints.filter((e) => e.event_types === null || e.event_types.includes(name)).length;
    const cards = catalog.map((type) => {
      const latest = type.schemas && type.schemas.length ? type.schemas[type.schemas.length - 1] : null;
      const notes = [
        type.deprecated ? `Deprecated${type.sunset_at ? `, ends ${shortTime.format(new Date(type.sunset_at))}` : ''}` : null,
        type.requires_approval ? 'Needs approval to subscribe' : null,
      ].filter(Boolean);
      const count = receivers(type.name);
      return h('li', { class: 'card catalog-item', testid: 'event-type', 'data-event-type': type.name },
        h('div', { class: 'catalog-head' },
          h('h2', { class: 'catalog-name mono' }, type.name),
          notes.map((n) => h('span', { class: 'status-note' }, n))),
        type.description ? h('p', null, type.description) : null,
        h('p', { class: 'muted', testid: 'event-type-receivers' },
          count === 0 ? 'None of your endpoints receives it.' : count === 1 ? '1 of your endpoints receives it.' : `${count} of your endpoints receive it.`),
        latest && latest.schema
          ? h('details', { class: 'catalog-schema' },
            h('summary', null, `Payload schema (version ${latest.version})`),
            h('pre', { class: 'code', tabindex: '0', testid: 'event-type-schema' }, JSON.stringify(latest.schema, null, 2)))
          : h('p', { class: 'muted' }, 'Its payload has no published schema.'));
    });
    app.append(
      pageHead('Event types'),
      h('p', { class: 'lead muted' }, 'What your endpoints can subscribe to. Every webhook carries one of these types, with a payload of its schema.'),
      cards.length
        ? h('ul', { class: 'catalog', testid: 'event-type-list' }, cards)
        : h('div', { class: 'empty card' }, h('p', { class: 'empty-title' }, 'No event types yet'),
          h('p', { class: 'muted' }, 'Endpoints receive every message until event types are defined.')));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // View: one message

  async function messageView(view, app, current) {
    const path = `/v1/messages/${encodeURIComponent(view.id)}`;
    const [message, names] = await Promise.all([read(path), endpointsById()]);
    if (!current()) return;

    let payload;
    if (message.payload_expunged) payload = h('p', { class: 'muted', testid: 'payload-absent' }, 'The content of this message was deleted on request.');
    else if (message.payload_purged || message.payload === null) payload = h('p', { class: 'muted', testid: 'payload-absent' }, 'The content of this message is no longer kept (it is older than the retention period).');
    else payload = h('pre', { class: 'code', testid: 'message-payload', tabindex: '0' }, JSON.stringify(message.payload, null, 2));

    const deliveryRows = (message.deliveries || []).map((d) => {
      const exists = names.has(d.endpoint_id);
      const resendButton = exists ? button('Resend', { class: 'btn btn-secondary btn-small', testid: 'delivery-resend' }) : null;
      if (resendButton) resendButton.addEventListener('click', busy(resendButton, () => resendMessage(message.id, d.endpoint_id)));
      return h('tr', { testid: 'delivery-row', 'data-endpoint-id': d.endpoint_id },
        h('td', { 'data-label': 'Endpoint' }, endpointLink(d.endpoint_id, names)),
        h('td', { 'data-label': 'Status' }, badge(DELIVERY_STATUS, d.status, 'delivery-status')),
        h('td', { 'data-label': 'Attempts' }, String(d.attempt_count)),
        h('td', { 'data-label': 'Last HTTP' }, h('span', { class: 'mono' }, d.last_status_code === null ? '—' : String(d.last_status_code))),
        h('td', { 'data-label': 'Next attempt' }, timeEl(d.next_attempt_at)),
        h('td', { 'data-label': 'Action' }, resendButton || h('span', { class: 'muted' }, '—')));
    });
    const deliveries = deliveryRows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, ['Endpoint', 'Status', 'Attempts', 'Last HTTP', 'Next attempt', 'Action'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, deliveryRows)))
      : h('p', { class: 'muted' }, 'None of your endpoints receives this message.');

    const attempts = attemptsSection({
      load: (cursor, filters) => read(`${path}/attempts`, { limit: PAGE_SIZE, cursor, ...filters }),
      columns: ['time', 'endpoint', 'outcome', 'http', 'duration', 'error', 'resend'],
      resend: (attempt) => ({ messageId: message.id, endpointId: attempt.endpoint_id }),
      endpointNames: names,
    });

    app.append(
      pageHead(message.event_type, { back: { label: 'All messages', view: { name: 'messages' } }, testid: 'message-title' }),
      h('div', { class: 'meta' },
        h('span', { class: 'meta-item' }, 'ID ', h('code', { testid: 'message-id' }, message.id)),
        h('span', { class: 'meta-item' }, 'Sent ', timeEl(message.created_at)),
        message.channels && message.channels.length ? h('span', { class: 'meta-item' }, 'Channels ', message.channels.join(', ')) : null),
      section('Deliveries', deliveries),
      section('Content', payload),
      attempts.node);
    await attempts.reload();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start

  function wireChrome() {
    for (const tab of document.querySelectorAll('[data-nav]')) tab.addEventListener('click', () => go({ name: tab.dataset.nav }));
    $('banner-dismiss').addEventListener('click', hideBanner);
    $('confirm-ok').addEventListener('click', () => settleConfirm(true));
    $('confirm-cancel').addEventListener('click', () => settleConfirm(false));
    // Escape closes the dialog: that is a "no".
    $('confirm').addEventListener('close', () => settleConfirm(false));
    window.addEventListener('popstate', (event) => render(event.state && event.state.portal, true));
    // A new link pasted into this tab changes only the fragment, which loads nothing: start over with its token.
    window.addEventListener('hashchange', () => {
      if (!new URLSearchParams(location.hash.slice(1)).has('token')) return;
      takeToken();
      location.reload();
    });
  }

  function showStartFailure(err) {
    const app = $('app');
    app.removeAttribute('aria-busy');
    const retry = button('Try again', { class: 'btn btn-primary' }, () => location.reload());
    app.replaceChildren(h('section', { class: 'card ended', testid: 'start-failed' },
      h('h1', { class: 'ended-title' }, 'The webhook settings could not be loaded'),
      h('p', { class: 'muted' }, err instanceof ApiError ? err.problem.detail || err.problem.title : 'Something went wrong on this page.'),
      h('div', { class: 'actions' }, retry)));
    if (!(err instanceof ApiError)) console.error(err);
  }

  async function start() {
    wireChrome();
    state.token = takeToken();
    if (!state.token) return showSessionEnded('missing');
    try {
      state.session = await request(commandBase(), 'GET', '/v1/portal/session');
    } catch (err) {
      if (err.status === 401) return showSessionEnded('expired');
      return showStartFailure(err);
    }
    if (!state.session.tenant_id) return showSessionEnded('invalid');
    const meta = document.querySelector('meta[name="hookline-query-url"]');
    state.queryBase = String(state.session.query_url || (meta && meta.content) || '').replace(/\/+$/, '');
    showSessionInfo(state.session);
    const view = (history.state && history.state.portal) || { name: 'endpoints' };
    history.replaceState({ portal: view }, '', location.pathname + location.search);
    render(view, false);
  }

  start();
})();
