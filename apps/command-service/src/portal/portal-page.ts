import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BRANDING, PortalBranding, brandStylesheet, logoOrigin } from './portal-branding';

export interface PortalAsset {
  body: string;
  contentType: string;
}

/** The portal's files, read once at start-up (they sit beside this module in the source tree and in the image). */
export interface PortalPage {
  html: string;
  /** The page's scripts (ES modules, which import each other by name), its stylesheet and brand.css, by file name. */
  assets: ReadonlyMap<string, PortalAsset>;
  /**
   * Content-Security-Policy of the page: its own scripts and styles only; calls to this service and the query service;
   * images of its own, inline, and from the logo's origin.
   */
  csp: string;
}

const PAGE_DIR = path.join(__dirname, 'page');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The portal page for a deployment whose query service browsers reach at `queryUrl`, in the operator's `branding`. The
 * page learns that URL from a meta tag (it is configuration, not a secret); its session token travels in the link's
 * fragment, never to a server.
 */
export function loadPortalPage(queryUrl: string, branding: PortalBranding = DEFAULT_BRANDING): PortalPage {
  const read = (name: string) => readFileSync(path.join(PAGE_DIR, name), 'utf8');
  const queryOrigin = new URL(queryUrl).origin;
  // Listed once here, so a request names a key of this map and never a path: nothing outside the folder can be asked for.
  const assets = new Map<string, PortalAsset>();
  for (const entry of readdirSync(PAGE_DIR, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[path.extname(entry.name)];
    if (entry.isFile() && contentType) assets.set(entry.name, { body: read(entry.name), contentType });
  }
  assets.set('brand.css', { body: brandStylesheet(branding), contentType: CONTENT_TYPES['.css'] });
  const mark = branding.logoUrl
    ? `<img class="brand-logo" src="${escapeAttribute(branding.logoUrl)}" alt="" data-testid="brand-logo">`
    : '<span class="brand-mark" aria-hidden="true"></span>';
  const fills: Record<string, string> = {
    QUERY_URL: escapeAttribute(queryUrl.replace(/\/+$/, '')),
    TITLE: escapeAttribute(branding.title),
    THEME: branding.theme,
    BRAND_MARK: mark,
  };
  return {
    // A function, not a replacement string: a `$&` in a title must stay as typed.
    html: read('index.html').replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => fills[name] ?? whole),
    assets,
    csp: [
      "default-src 'none'", "script-src 'self'", "style-src 'self'", ['img-src', "'self'", 'data:', logoOrigin(branding)].filter(Boolean).join(' '),
      `connect-src 'self' ${queryOrigin}`, "base-uri 'none'", "form-action 'none'",
    ].join('; '),
  };
}
