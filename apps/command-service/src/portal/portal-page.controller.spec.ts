import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ProblemError } from '@hookline/service-kit';
import type { Response } from 'express';
import type { CommandConfig } from '../infrastructure/infrastructure';
import { PortalPageController } from './portal-page.controller';

const PAGE_DIR = path.join(__dirname, 'page');
const QUERY_URL = 'http://query.hookline.test:3001';

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
  const controller = new PortalPageController({ PORTAL_QUERY_URL: QUERY_URL } as CommandConfig);
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
      wanted.push(...[...source.matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]));
    }
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
