// View: one endpoint, with its settings, health, tools and delivery attempts.
import { eventTypes, read, write } from './api.js';
import { attemptsSection } from './attempts.js';
import { deliveryChart } from './delivery-chart.js';
import { facts, h, section } from './dom.js';
import { deleteButton, endpointPath, rotateButton, toggleButton } from './endpoint-actions.js';
import { endpointForm } from './endpoint-form.js';
import { endpointSettings } from './endpoint-settings.js';
import { recoverSection, testMessageSection } from './endpoint-tools.js';
import { percent, timeEl } from './format.js';
import { go, pageHead, render } from './nav.js';
import { toast } from './notices.js';
import { canChange } from './state.js';
import { authSummary, awaitingNote, badge, BREAKER, declinedNote, DISABLED_REASON, disabledNote, ENDPOINT_STATUS } from './wording.js';

export async function endpointView(view, app, current) {
  const path = `/v1/endpoints/${encodeURIComponent(view.id)}`;
  const [endpoint, catalog, health, stats] = await Promise.all([read(path), eventTypes(), read(`${path}/health`), read(`${path}/stats`)]);
  if (!current()) return;
  const refresh = () => render(view);

  const secretSlot = h('div', { class: 'slot' });
  const actions = [
    toggleButton(endpoint, { after: refresh }),
    rotateButton(endpoint, secretSlot),
    deleteButton(endpoint, { after: () => go({ name: 'endpoints' }) }),
  ];

  const note = disabledNote(endpoint);
  const awaiting = awaitingNote(endpoint);
  const declined = declinedNote(endpoint);
  // A view-only session sees the settings as text.
  const settings = canChange() ? endpointForm({
    endpoint, catalog, submitLabel: 'Save changes',
    onSubmit: async (body, headersPatch) => {
      // The headers first: a header the API refuses then leaves every other setting as it was, not half saved.
      if (headersPatch) await write('PATCH', `${endpointPath(endpoint.id)}/headers`, { headers: headersPatch });
      if (Object.keys(body).length) await write('PATCH', endpointPath(endpoint.id), body);
      toast('Changes saved.');
      refresh();
    },
  }).form : endpointSettings(endpoint);

  const attempts = attemptsSection({
    path: `${path}/attempts`,
    columns: ['time', 'event', 'message', 'outcome', 'http', 'duration', 'error', 'resend'],
    resend: (attempt) => ({ messageId: attempt.message_id, endpointId: endpoint.id }),
  });

  // Filtered: Node.append would write a null as the text "null" (only h() leaves nulls out).
  app.append(...[
    pageHead(endpoint.url, {
      back: { label: 'All endpoints', view: { name: 'endpoints' } }, actions, testid: 'endpoint-title',
    }),
    h('div', { class: 'meta' },
      badge(ENDPOINT_STATUS, endpoint.status, 'endpoint-status'),
      note ? h('span', { class: 'status-note' }, note) : null,
      h('span', { class: 'meta-item' }, 'ID ', h('code', null, endpoint.id)),
      h('span', { class: 'meta-item' }, 'Created ', timeEl(endpoint.created_at)),
      endpoint.auth ? h('span', { class: 'meta-item', testid: 'endpoint-auth' }, 'Login ', authSummary(endpoint.auth)) : null),
    awaiting ? h('p', { class: 'awaiting-note', role: 'note', testid: 'awaiting-approval' }, awaiting) : null,
    declined ? h('p', { class: 'awaiting-note', role: 'note', testid: 'declined-event-types' }, declined) : null,
    secretSlot,
    h('div', { class: 'grid-2' },
      section('Settings', settings),
      healthSection(health, stats)),
    endpoint.status === 'enabled' ? testMessageSection(endpoint, catalog, () => attempts.reload()) : null,
    recoverSection(endpoint.id),
    attempts.node,
  ].filter(Boolean));
  if (!current()) return;
  await attempts.reload();
}

function healthSection(health, stats) {
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
  return section('Health', deliveryChart(stats), facts(rows, 'endpoint-health'));
}
