// What can be done to an endpoint from both its row in the list and its own page, and the signing secret shown once.
// A view-only session gets none of these buttons (null).
import { write } from './api.js';
import { button, clear, h, section } from './dom.js';
import { actionButton } from './errors.js';
import { fullTime } from './format.js';
import { confirmAction, toast } from './notices.js';
import { changeControl } from './state.js';

/** The path of an endpoint (or of an action on it) under the tenant, for `write`. */
export const endpointPath = (id, action) => `/endpoints/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

const buttonClass = (base, small) => (small ? `${base} btn-small` : base);

/** Enable or Disable; null for an endpoint neither applies to (one waiting for approval). */
export const toggleButton = changeControl((endpoint, { small, after }) => {
  if (endpoint.status !== 'enabled' && endpoint.status !== 'disabled') return null;
  const enabling = endpoint.status === 'disabled';
  return actionButton(enabling ? 'Enable' : 'Disable', { class: buttonClass('btn btn-secondary', small), testid: 'endpoint-toggle' }, async () => {
    await write('POST', endpointPath(endpoint.id, enabling ? 'enable' : 'disable'), {});
    toast(enabling ? 'Endpoint enabled.' : 'Endpoint disabled: it receives nothing until you enable it again.');
    await after();
  });
});

/** Delete, once confirmed; `after` runs only when it was. */
export const deleteButton = changeControl((endpoint, { small, after }) =>
  actionButton('Delete', { class: buttonClass('btn btn-danger-ghost', small), testid: 'endpoint-delete' }, async () => {
    const sure = await confirmAction({
      title: 'Delete this endpoint?',
      text: `${endpoint.url} stops receiving webhooks at once, including retries that are waiting. This can’t be undone.`,
      ok: 'Delete endpoint', danger: true,
    });
    if (!sure) return;
    await write('DELETE', endpointPath(endpoint.id));
    toast('Endpoint deleted.');
    await after();
  }));

/** Rotate the signing secret, once confirmed; the new one shows in `secretSlot`. */
export const rotateButton = changeControl((endpoint, secretSlot) =>
  actionButton('Rotate secret', { testid: 'rotate-secret' }, async () => {
    const sure = await confirmAction({
      title: 'Rotate the signing secret?',
      text: 'A new secret is made. The current one keeps signing webhooks for a while too, so you can update your server without missing any.',
      ok: 'Rotate secret',
    });
    if (!sure) return;
    const rotated = await write('POST', endpointPath(endpoint.id, 'rotate-secret'), {});
    showSecret(secretSlot, 'New signing secret', rotated, rotated.previous_secrets_expire_at
      ? `The previous secret keeps working until ${fullTime.format(new Date(rotated.previous_secrets_expire_at))}.` : null);
  }));

/** The secret (and public key) of an answer that carries them: the API shows a secret only this once. */
export function showSecret(slot, title, { secret, public_key: publicKey }, note) {
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
