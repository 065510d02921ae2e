import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ProblemError } from '@hookline/service-kit';
import { loadConfig } from '@hookline/config';
import type { Response } from 'express';
import { COMMAND_ENV } from '../config';
import { PortalPageController } from './portal-page.controller';

const PAGE_DIR = path.join(__dirname, 'page');
const QUERY_URL = 'http://query.hookline.test:3001';

/** The controller as the service builds it, from these variables (the rest required ones at any valid value). */
const controllerFor = (env: Record<string, string> = {}) => new PortalPageController(loadConfig(COMMAND_ENV, {
  ADMIN_API_KEY: 'a'.repeat(24), DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: '127.0.0.1:9092', PORTAL_QUERY_URL: QUERY_URL, ...env,
}));

function page(controller: PortalPageController) {
  const { res, sent } = capture();
  controller.index(res);
  return { html: sent.body!, csp: sent.headers['content-security-policy'] };
}

/** What the controller handed the response: its headers and body. */
function capture() {
  const sent: { headers: Record<string, string>; body?: string } = { headers: {} };
  const res = {
    set(headers: Record<string, string>) {
      Object.assign(sent.headers, headers);
      return res;
    },
    send(body: string) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('the portal page controller', () => {
  const controller = controllerFor();
  const serve = (name: string) => {
    const { res, sent } = capture();
    controller.asset(name, res);
    return sent;
  };
  const modules = readdirSync(PAGE_DIR).filter((name) => name.endsWith('.js'));

  it('serves every module of the page folder as JavaScript, and its stylesheet as CSS', () => {
    expect(modules).toEqual(expect.arrayContaining(['portal.js', 'api.js', 'dom.js']));
    for (const name of modules) {
      const sent = serve(name);
      expect(sent.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(sent.headers['x-content-type-options']).toBe('nosniff');
      expect(sent.body).toBe(readFileSync(path.join(PAGE_DIR, name), 'utf8'));
    }
    expect(serve('portal.css').headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves every module the page loads: the entry script of index.html and each relative import', () => {
    const { res, sent } = capture();
    controller.index(res);
    const wanted = [...sent.body!.matchAll(/<script type="module" src="\/portal\/([^"]+)">/g)].map((m) => m[1]);
    expect(wanted).toEqual(['portal.js']);
    for (const name of modules) {
      const source = readFileSync(path.join(PAGE_DIR, name), 'utf8');
      wanted.push(...[...source.matchAll(/(?:from|import) '\.\/([^']+)'/g)].map((m) => m[1]));
    }
    expect(wanted).toContain('theme.js');
    for (const name of new Set(wanted)) expect(serve(name).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('keeps the page locked down by its Content-Security-Policy', () => {
    const { res, sent } = capture();
    controller.index(res);
    expect(sent.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${QUERY_URL}; base-uri 'none'; form-action 'none'`,
    );
  });

  it.each(['secrets.txt', 'index.html', 'nope.js', '..', '../portal-page.ts', '..%2Fportal-page.ts', 'page/portal.js', 'portal-page.ts', 'constructor', '__proto__'])(
    'answers not found for %s',
    (name) => {
      expect(() => serve(name)).toThrow(expect.objectContaining({ kind: 'not_found' }));
      expect(() => serve(name)).toThrow(ProblemError);
    },
  );
});

describe('the portal page in the operator\'s brand (PORTAL_TITLE, PORTAL_ACCENT_COLOR, PORTAL_LOGO_URL, PORTAL_THEME)', () => {
  const brandCss = (controller: PortalPageController) => {
    const { res, sent } = capture();
    controller.asset('brand.css', res);
    return sent;
  };

  it('keeps its own title, mark and colours, and follows the browser\'s theme, when none is set', () => {
    const controller = controllerFor();
    const { html } = page(controller);
    expect(html).toContain('<title>Webhooks</title>');
    expect(html).toContain('<span class="brand-mark" aria-hidden="true"></span>');
    expect(html).toContain('<html lang="en" data-theme-default="auto">');
    expect(html).not.toMatch(/\{\{[A-Z_]+\}\}/);
    const css = brandCss(controller);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).not.toContain('--accent');
  });

  it('shows the operator\'s title (escaped, as typed), logo and theme, and loads the logo from its origin only', () => {
    const controller = controllerFor({
      PORTAL_TITLE: 'Acme <Hooks> & "$&" co', PORTAL_LOGO_URL: 'https://cdn.acme.test/brand/logo.svg?v=2&x=1', PORTAL_THEME: 'dark',
    });
    const { html, csp } = page(controller);
    expect(html).toContain('<title>Acme &lt;Hooks&gt; &amp; &quot;$&amp;&quot; co</title>');
    expect(html).toContain('>Acme &lt;Hooks&gt; &amp; &quot;$&amp;&quot; co</span>');
    expect(html).toContain('<img class="brand-logo" src="https://cdn.acme.test/brand/logo.svg?v=2&amp;x=1" alt=""');
    expect(html).not.toContain('brand-mark');
    expect(html).toContain('data-theme-default="dark"');
    expect(csp).toContain("img-src 'self' data: https://cdn.acme.test;");
  });

  it('takes an inline logo without widening the CSP', () => {
    const { html, csp } = page(controllerFor({ PORTAL_LOGO_URL: 'data:image/png;base64,iVBORw0KGgo=' }));
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(csp).toContain("img-src 'self' data:;");
  });

  it('serves the accent colour\'s shades for the light and the dark theme in brand.css', () => {
    const css = brandCss(controllerFor({ PORTAL_ACCENT_COLOR: '#0A7D55' })).body!;
    expect(css).toMatch(/^:root \{ --accent: #0a7d55; --accent-hover: #[0-9a-f]{6}; .*--on-accent: #ffffff; \}$/m);
    expect(css).toMatch(/^:root\[data-theme="dark"\] \{ --accent: #[0-9a-f]{6};/m);
  });

  it.each([
    ['PORTAL_ACCENT_COLOR', 'teal'], ['PORTAL_ACCENT_COLOR', '#0a7d5'], ['PORTAL_LOGO_URL', 'http://cdn.acme.test/logo.png'],
    ['PORTAL_LOGO_URL', 'javascript:alert(1)'], ['PORTAL_LOGO_URL', 'data:text/html;base64,PGI+'], ['PORTAL_THEME', 'sepia'],
    ['PORTAL_TITLE', 'two\nlines'], ['PORTAL_TITLE', 'x'.repeat(61)],
  ])('stops the start on %s=%j, naming the variable', (name, value) => {
    expect(() => controllerFor({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });
});
