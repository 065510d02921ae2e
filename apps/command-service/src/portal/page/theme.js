// Light or dark. The link may ask for one (`?theme=dark`, `light` or `auto`; a platform embedding the portal passes its
// own product's); otherwise the deployment's PORTAL_THEME, given in the page's data-theme-default. `auto` follows the
// browser's preference, live. It sets data-theme on <html>, which portal.css's dark palette keys on: one palette, not
// one copy per way of asking for it. Imported first, so the page is themed before anything is drawn.
const THEMES = new Set(['light', 'dark', 'auto']);

const root = document.documentElement;
const asked = new URLSearchParams(location.search).get('theme');
const chosen = THEMES.has(asked) ? asked : THEMES.has(root.dataset.themeDefault) ? root.dataset.themeDefault : 'auto';

if (chosen === 'auto') {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const follow = () => { root.dataset.theme = dark.matches ? 'dark' : 'light'; };
  follow();
  dark.addEventListener('change', follow);
} else {
  root.dataset.theme = chosen;
}
