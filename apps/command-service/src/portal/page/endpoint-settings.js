// An endpoint's settings as text: what a view-only session is shown instead of the form that changes them.
import { facts, h } from './dom.js';
import { authSummary, eventTypeChips } from './wording.js';

/**
 * The URL, description, event types, custom headers (values as the API shows them), rate limit and login (without its
 * secret) of `endpoint`.
 */
export function endpointSettings(endpoint) {
  const headers = Object.entries(endpoint.headers || {});
  const rate = endpoint.rate_limit_per_second ?? null;
  return facts([
    ['Endpoint URL', h('span', { class: 'mono', testid: 'settings-url' }, endpoint.url)],
    ['Description', h('span', { testid: 'settings-description' }, endpoint.description || '—')],
    ['Event types', h('div', { testid: 'settings-event-types' }, eventTypeChips(endpoint.event_types))],
    ['Custom headers', headers.length
      ? h('ul', { class: 'header-list', testid: 'settings-headers' }, headers.map(([name, value]) =>
        h('li', { class: 'mono', testid: 'settings-header', 'data-name': name }, `${name}: ${value}`)))
      : h('span', { testid: 'settings-headers' }, 'None')],
    ['Rate limit', h('span', { testid: 'settings-rate-limit' }, rate === null ? 'No limit' : `${rate} webhooks per second`)],
    endpoint.auth ? ['Login', h('span', { testid: 'settings-auth' }, authSummary(endpoint.auth))] : null,
  ].filter(Boolean), 'endpoint-settings');
}
