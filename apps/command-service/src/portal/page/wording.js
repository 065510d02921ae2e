// How the API's codes read on the page: statuses as badges, why an endpoint is off or awaits approval, and why a
// delivery gave up.
import { h } from './dom.js';

/** Statuses as [status, words, tone] rows; the tone picks the badge's colour (a badge-<tone> class of portal.css). */
const statusWords = (rows) => Object.fromEntries(rows.map(([status, text, tone]) => [status, { text, tone }]));

export const ENDPOINT_STATUS = statusWords([
  ['enabled', 'Enabled', 'ok'],
  ['disabled', 'Disabled', 'off'],
  ['pending_approval', 'Waiting for approval', 'warn'],
  ['deleted', 'Deleted', 'off'],
]);

export const DELIVERY_STATUS = statusWords([
  ['pending', 'Pending', 'info'],
  ['retrying', 'Retrying', 'warn'],
  ['succeeded', 'Succeeded', 'ok'],
  ['failed', 'Failed', 'bad'],
  ['dead_lettered', 'Failed, gave up', 'bad'],
  ['dropped', 'Dropped', 'off'],
]);

export const DISABLED_REASON = {
  manual: 'Turned off by hand.',
  gone: 'Your server answered 410 Gone, which asks for webhooks to stop.',
  failing: 'Turned off after failing for too long.',
  rejected: 'Its subscription was not approved.',
};

/** Why a delivery was given up (a dead letter's `cause`; none for those from before the service said why). */
export const DEAD_LETTER_CAUSE = {
  exhausted: 'Every retry failed',
  gone: 'Your server answered 410 Gone',
  endpoint_disabled: 'The endpoint was disabled while it waited',
};

export const BREAKER = {
  closed: 'Closed: deliveries flow normally',
  open: 'Open: deliveries paused after repeated failures',
  half_open: 'Half-open: testing whether your server recovered',
};

/** A status of one of the tables above; one the page does not know yet still shows, in a neutral colour. */
export function badge(known, value, testid) {
  const entry = known[value] || { text: String(value || 'unknown'), tone: 'off' };
  return h('span', { class: `badge badge-${entry.tone}`, testid }, entry.text);
}

/** Why an endpoint receives nothing, when it does not. */
export function disabledNote(endpoint) {
  if (endpoint.status === 'pending_approval') return 'It receives messages once its event types are approved.';
  if (endpoint.status !== 'disabled') return null;
  const reason = DISABLED_REASON[endpoint.disabled_reason] || null;
  const detail = endpoint.disabled_detail && endpoint.disabled_detail !== reason ? endpoint.disabled_detail : null;
  return [reason, detail].filter(Boolean).join(' ') || null;
}

/**
 * Which event types an endpoint of every type does not receive yet, and why: they need an approval it has not had
 * (types added, or made to need approval, after it was approved). Null when there are none.
 */
export function awaitingNote(endpoint) {
  const types = endpoint.event_types_awaiting_approval || [];
  if (!types.length) return null;
  const list = `Waiting for approval: ${types.join(', ')}.`;
  // Waiting as a whole, it receives nothing at all: the status says so already.
  if (endpoint.status === 'pending_approval') return list;
  const one = types.length === 1;
  return `${list} It receives every other event type; ${one ? 'this one needs' : 'these need'} the approval of the provider of these `
    + `webhooks first, and until then ${one ? 'its' : 'their'} messages are not sent to it.`;
}

/**
 * Which event types needing approval the provider of these webhooks declined for an endpoint of every type: it does not
 * receive them, and does not wait for them either. Null when there are none. Read-only: only the provider can change it.
 */
export function declinedNote(endpoint) {
  const types = endpoint.declined_event_types || [];
  if (!types.length) return null;
  const one = types.length === 1;
  return `Declined: ${types.join(', ')}. The provider of these webhooks declined ${one ? 'this event type' : 'these event types'} `
    + `for this endpoint, so ${one ? 'its' : 'their'} messages are not sent to it; ask them if you need ${one ? 'it' : 'them'}.`;
}

/** The event types an endpoint receives; null is every type. */
export function eventTypeChips(types) {
  if (types === null || types === undefined) return h('p', { class: 'chips' }, h('span', { class: 'chip chip-all' }, 'All event types'));
  if (!types.length) return h('p', { class: 'chips' }, h('span', { class: 'chip chip-none' }, 'No event types'));
  return h('ul', { class: 'chips', 'aria-label': 'Event types' }, types.map((t) => h('li', { class: 'chip' }, t)));
}

/** How an endpoint authenticates beyond the signature, as the API shows it (never a secret); null when it does not. */
export function authSummary(auth) {
  if (!auth) return null;
  if (auth.type === 'kafka_sasl') return `SASL (${auth.mechanism}) as user ${auth.username}`;
  if (auth.type === 'oauth2_client_credentials') return `OAuth 2.0 as client ${auth.client_id}`;
  return String(auth.type);
}

/** A message's tags, each a button that lists the messages with that tag (`onPick(tag)`); nothing when it has none. */
export function tagChips(tags, onPick) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'chips', 'aria-label': 'Tags' }, tags.map((tag) => h('li', null,
    h('button', { type: 'button', class: 'chip chip-button', title: `Messages tagged ${tag}`, onclick: () => onPick(tag), testid: 'message-tag' }, tag))));
}
