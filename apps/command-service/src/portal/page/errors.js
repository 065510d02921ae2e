// Where the failure of something the user asked for shows, and the buttons that ask for it.
import { ApiError, problemText } from './api.js';
import { button } from './dom.js';
import { showBanner } from './notices.js';
import { showSessionEnded } from './session.js';
import { state } from './state.js';

/**
 * Shows a failure where it belongs: an ended session replaces the page; a refused request (4xx) is explained next to
 * the form it came from when there is one; an outage (network, 5xx) goes to the banner.
 */
export function reportError(err, where) {
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
    const detail = err.status === 503 ? 'The service is busy catching up. Try again in a moment.' : problemText(err.problem);
    showBanner(err.status === 0 ? err.problem.detail : `Something went wrong on our side: ${detail}`);
    return;
  }
  if (where) where.show(err.problem);
  else showBanner(problemText(err.problem));
}

/** A click handler that disables its button while it runs (no double submits) and reports what fails. */
export function busy(btn, action, where) {
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

/** A button whose click runs `action`, busy meanwhile. */
export function actionButton(label, props, action) {
  const btn = button(label, props);
  btn.addEventListener('click', busy(btn, action));
  return btn;
}
