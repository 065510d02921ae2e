// What the page tells the user outside the view: a passing notice, an outage banner, and a confirmation dialog.
import { $ } from './dom.js';

const TOAST_MS = 6000;

let toastTimer = 0;

export function toast(message) {
  const node = $('toast');
  node.textContent = message;
  node.classList.add('toast-shown');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => node.classList.remove('toast-shown'), TOAST_MS);
}

export function showBanner(message) {
  $('banner-text').textContent = message;
  $('banner').hidden = false;
}

export function hideBanner() {
  $('banner').hidden = true;
}

let confirmResolve = null;

/** An in-page confirmation: window.confirm is blocked in sandboxed iframes, where platforms may embed the portal. */
export function confirmAction({ title, text, ok, danger }) {
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

export function settleConfirm(answer) {
  const resolve = confirmResolve;
  confirmResolve = null;
  if ($('confirm').open) $('confirm').close();
  if (resolve) resolve(answer);
}

/** The banner's and the dialog's buttons; Escape closes the dialog, and that is a "no". */
export function wireNotices() {
  $('banner-dismiss').addEventListener('click', hideBanner);
  $('confirm-ok').addEventListener('click', () => settleConfirm(true));
  $('confirm-cancel').addEventListener('click', () => settleConfirm(false));
  $('confirm').addEventListener('close', () => settleConfirm(false));
}
