import 'reflect-metadata';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Body, Controller, HttpCode, INestApplication, Module, Param, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Express, Request } from 'express';
import { StablePrototypeExpressAdapter } from './stable-prototype-express-adapter';

@Controller('tenants/:tenantId/messages')
class EchoController {
  @Post()
  @HttpCode(202)
  publish(@Param('tenantId') tenantId: string, @Body() body: { event_type: string }, @Req() req: Request) {
    // Express's own request helpers must still be there (they live on app.request).
    return { tenantId, eventType: body.event_type, contentType: req.get('content-type'), isJson: req.is('application/json') };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('StablePrototypeExpressAdapter', () => {
  let app: INestApplication;
  let express: Express;
  let baseUrl: string;

  beforeAll(async () => {
    const adapter = new StablePrototypeExpressAdapter();
    express = adapter.getInstance<Express>();
    app = await NestFactory.create(EchoModule, adapter, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** What `look` saw of each request sent by `send`, before the Express app (the server's first listener) ran. */
  async function beforeExpress<T>(look: (req: http.IncomingMessage, res: http.ServerResponse) => T, send: () => Promise<unknown>): Promise<T[]> {
    const server: http.Server = app.getHttpServer();
    const seen: T[] = [];
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => seen.push(look(req, res));
    server.prependListener('request', listener);
    try {
      await send();
    } finally {
      server.off('request', listener);
    }
    return seen;
  }

  it('hands Express requests and responses that already have its prototypes, so it never swaps them per request', async () => {
    const seen = await beforeExpress((req, res) => ({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) }), async () => {
      await (await post('/tenants/ten_1/messages', { event_type: 'invoice.paid' })).text();
      await (await post('/tenants/ten_2/messages', { event_type: 'invoice.paid' })).text();
    });
    expect(seen).toHaveLength(2);
    for (const { req, res } of seen) {
      expect(req).toBe(express.request);
      expect(res).toBe(express.response);
    }
  });

  it('serves Nest routes as before: params, JSON body, status and Express request helpers', async () => {
    const res = await post('/tenants/ten_9/messages', { event_type: 'order.created' });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ tenantId: 'ten_9', eventType: 'order.created', contentType: 'application/json', isJson: 'application/json' });
  });

  it('keeps the requests Node-compatible: instances of http.IncomingMessage and http.ServerResponse', async () => {
    const seen = await beforeExpress(
      (req, res) => [req instanceof http.IncomingMessage, res instanceof http.ServerResponse],
      async () => (await post('/tenants/ten_1/messages', { event_type: 'invoice.paid' })).text(),
    );
    expect(seen).toEqual([[true, true]]);
  });

  it('builds an HTTPS server when Nest is given httpsOptions', () => {
    const adapter = new StablePrototypeExpressAdapter();
    adapter.initHttpServer({ httpsOptions: {} });
    expect(adapter.getHttpServer()).toBeInstanceOf(https.Server);
  });

  it('still tracks open connections when Nest is told to force-close them on shutdown', () => {
    const plain = new StablePrototypeExpressAdapter();
    plain.initHttpServer({});
    const tracking = new StablePrototypeExpressAdapter();
    tracking.initHttpServer({ forceCloseConnections: true });
    const connectionListeners = (adapter: StablePrototypeExpressAdapter) => (adapter.getHttpServer() as http.Server).listenerCount('connection');
    expect(connectionListeners(tracking)).toBe(connectionListeners(plain) + 1);
  });
});
