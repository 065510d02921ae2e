import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The portal's files, read once at start-up (they sit beside this module in the source tree and in the image). */
export interface PortalPage {
  html: string;
  assets: Record<'portal.js' | 'portal.css', { body: string; contentType: string }>;
  /** Content-Security-Policy of the page: its own scripts and styles only; calls to this service and the query service. */
  csp: string;
}

const PAGE_DIR = path.join(__dirname, 'page');

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The portal page for a deployment whose query service browsers reach at `queryUrl`. The page learns that URL from a
 * meta tag (it is configuration, not a secret); its session token travels in the link's fragment, never to a server.
 */
export function loadPortalPage(queryUrl: string): PortalPage {
  const read = (name: string) => readFileSync(path.join(PAGE_DIR, name), 'utf8');
  const queryOrigin = new URL(queryUrl).origin;
  return {
    html: read('index.html').replace('{{QUERY_URL}}', escapeAttribute(queryUrl.replace(/\/+$/, ''))),
    assets: {
      'portal.js': { body: read('portal.js'), contentType: 'text/javascript; charset=utf-8' },
      'portal.css': { body: read('portal.css'), contentType: 'text/css; charset=utf-8' },
    },
    csp: [
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", `connect-src 'self' ${queryOrigin}`,
      "base-uri 'none'", "form-action 'none'",
    ].join('; '),
  };
}
