import type { ServerResponse } from 'node:http';
import { Agent, interceptors } from 'undici';
import { createGuardedAgent } from '../agent/guarded-agent';
import { createAddressPolicy } from '../policy/address-policy';
import { LoopbackGuard, installLoopbackGuard } from '../testing/loopback-guard';
import { Receiver, closedPort, startReceiver } from '../testing/recording-receiver';
import { DeliveryError } from './delivery.error';
import { WebhookRequest, postWebhook } from './post-webhook';

const MB = 1024 * 1024;

describe('postWebhook', () => {
  const receivers: Receiver[] = [];
  let agent: Agent;
  let guard: LoopbackGuard;

  const receiver = async (...args: Parameters<typeof startReceiver>): Promise<Receiver> => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };
  const webhook = (url: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest => ({
    url,
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
    body: '{"type":"invoice.paid","data":{}}',
    timeoutMs: 2_000,
    ...overrides,
  });

  beforeEach(async () => {
    guard = installLoopbackGuard(await closedPort());
    agent = createGuardedAgent({ policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) });
  });

  afterEach(async () => {
    guard.restore();
    await agent.destroy();
    await Promise.all(receivers.splice(0).map((started) => started.close()));
    // Nothing in this file may ever dial anything but 127.0.0.1.
    expect(guard.attempts.filter((host) => host !== '127.0.0.1')).toEqual([]);
  });

  it('POSTs the body and headers and returns status, flattened lower-case headers, body and latency', async () => {
    const target = await receiver((_request, response) => {
      response.setHeader('X-Request-Id', 'abc');
      response.setHeader('X-Multi', ['a', 'b']);
      response.statusCode = 202;
      response.end('accepted');
    });

    const result = await postWebhook(agent, webhook(`${target.origin}/hooks?token=t`));

    expect(result).toEqual({
      status: 202,
      headers: expect.objectContaining({ 'x-request-id': 'abc', 'x-multi': 'a, b', 'content-length': '8' }),
      body: 'accepted',
      bodyTruncated: false,
      latencyMs: expect.any(Number),
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(target.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/hooks?token=t',
        body: '{"type":"invoice.paid","data":{}}',
        headers: expect.objectContaining({ 'content-type': 'application/json', 'webhook-id': 'msg_1' }),
      }),
    ]);
  });

  it('returns non-2xx answers as responses, for the caller to judge', async () => {
    const target = await receiver((_request, response) => {
      response.statusCode = 503;
      response.end('down');
    });
    await expect(postWebhook(agent, webhook(target.origin))).resolves.toMatchObject({ status: 503, body: 'down' });
  });

  it('reuses one keep-alive socket across 20 sequential deliveries', async () => {
    const target = await receiver();
    for (let i = 0; i < 20; i += 1) {
      await expect(postWebhook(agent, webhook(`${target.origin}/${i}`))).resolves.toMatchObject({ status: 200 });
    }
    expect(target.requests).toHaveLength(20);
    expect(target.connections()).toBe(1);
  });

  describe('redirects', () => {
    it('returns a 302 as the result and never requests the Location', async () => {
      const second = await receiver();
      const first = await receiver((_request, response) => {
        response.writeHead(302, { location: `${second.origin}/stolen` }).end();
      });

      const result = await postWebhook(agent, webhook(first.origin));

      expect(result).toMatchObject({ status: 302, headers: expect.objectContaining({ location: `${second.origin}/stolen` }) });
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(0);
      expect(second.connections()).toBe(0);
    });

    it('does not follow redirects even through a dispatcher composed with the redirect interceptor', async () => {
      const second = await receiver();
      const first = await receiver((_request, response) => {
        response.writeHead(307, { location: `${second.origin}/stolen` }).end();
      });
      const following = agent.compose(interceptors.redirect({ maxRedirections: 5 }));

      await expect(postWebhook(following, webhook(first.origin))).resolves.toMatchObject({ status: 307 });
      expect(second.requests).toHaveLength(0);
    });
  });

  describe('failures', () => {
    it('classifies a receiver that never answers as a timeout, within the deadline', async () => {
      const silent = await receiver(() => undefined);
      const started = Date.now();

      const failure = await postWebhook(agent, webhook(silent.origin, { timeoutMs: 300 })).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DeliveryError);
      expect(failure).toMatchObject({
        class: 'timeout',
        message: `${silent.origin} did not complete its response within 300 ms`,
      });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(silent.requests).toHaveLength(1);
    });

    it('classifies a receiver that stops mid-body as a timeout', async () => {
      const stalling = await receiver((_request, response) => {
        response.writeHead(200, { 'content-length': '100' });
        response.write('partial');
      });
      await expect(postWebhook(agent, webhook(stalling.origin, { timeoutMs: 300 }))).rejects.toMatchObject({
        class: 'timeout',
      });
    });

    it('ends a response that trickles in forever at the total deadline, though it is never idle for long', async () => {
      const drips: NodeJS.Timeout[] = [];
      const trickling = await receiver((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        drips.push(setInterval(() => response.write('.'), 40));
      });
      const started = Date.now();

      const failure = await postWebhook(agent, webhook(trickling.origin, { timeoutMs: 400 })).catch((error: unknown) => error);
      const elapsed = Date.now() - started;
      drips.forEach(clearInterval);

      expect(failure).toMatchObject({ class: 'timeout' });
      // Not before the attempt's own timeout, and not much after it (the deadline is shared by a 20 ms window of attempts).
      expect(elapsed).toBeGreaterThanOrEqual(400);
      expect(elapsed).toBeLessThan(1_000);
    });

    it('classifies a refused connection as connect', async () => {
      const port = await closedPort();
      const failure = await postWebhook(agent, webhook(`http://127.0.0.1:${port}/`)).catch((error: unknown) => error);
      expect(failure).toMatchObject({ class: 'connect' });
      expect((failure as Error).message).toMatch(`could not connect to http://127.0.0.1:${port}: `);
      expect((failure as Error).message).toMatch('ECONNREFUSED');
    });

    it('classifies a connection dropped before the response as network', async () => {
      const dropping = await receiver((request) => request.socket.destroy());
      await expect(postWebhook(agent, webhook(dropping.origin))).rejects.toMatchObject({ class: 'network' });
    });

    it('classifies a policy refusal as ssrf_refused', async () => {
      const strict = createGuardedAgent({ policy: createAddressPolicy() });
      const target = await receiver();
      try {
        await expect(postWebhook(strict, webhook(target.origin))).rejects.toMatchObject({ class: 'ssrf_refused' });
        expect(target.connections()).toBe(0);
      } finally {
        await strict.destroy();
      }
    });

    it('never puts the path or query, which may hold a token, in the message', async () => {
      const port = await closedPort();
      const failure = await postWebhook(agent, webhook(`http://127.0.0.1:${port}/hooks?token=secret`)).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as DeliveryError).message).not.toMatch('secret');
    });

    it('rejects a URL it cannot deliver to as a programming error', async () => {
      await expect(postWebhook(agent, webhook('ftp://example.com/'))).rejects.toThrow(TypeError);
      await expect(postWebhook(agent, webhook('not a url'))).rejects.toThrow(TypeError);
      await expect(postWebhook(agent, webhook('http://127.0.0.1:1/', { timeoutMs: 0 }))).rejects.toThrow(TypeError);
      await expect(postWebhook(agent, webhook('http://127.0.0.1:1/', { maxResponseBytes: -1 }))).rejects.toThrow(TypeError);
    });
  });

  describe('response bodies', () => {
    // Writes `total` bytes of "x" in 16 KB chunks, honouring backpressure, and records how far it got. With `paceMs`
    // it pauses between chunks, so a body the client gives up on is visibly never finished.
    const streamBytes =
      (total: number, progress: { written: number; finished: boolean }, paceMs?: number) => (response: ServerResponse) => {
        const chunk = Buffer.alloc(16 * 1024, 'x');
        const writeMore = (): void => {
          while (progress.written < total && !response.destroyed) {
            const size = Math.min(chunk.length, total - progress.written);
            progress.written += size;
            const flushed = response.write(chunk.subarray(0, size));
            if (paceMs !== undefined) {
              setTimeout(writeMore, paceMs);
              return;
            }
            if (!flushed) {
              response.once('drain', writeMore);
              return;
            }
          }
          if (progress.written >= total) response.end(() => (progress.finished = true));
        };
        writeMore();
      };

    it('keeps 4 KB of a 1 MB response and closes the socket instead of reading the rest', async () => {
      const progress = { written: 0, finished: false };
      const big = await receiver((_request, response) => {
        response.writeHead(200, { 'content-length': String(MB) });
        streamBytes(MB, progress, 2)(response);
      });

      const result = await postWebhook(agent, webhook(big.origin));

      expect(result.body).toBe('x'.repeat(4096));
      expect(result.bodyTruncated).toBe(true);
      // A declared length beyond the drain allowance is not worth reading: the socket is given up at once.
      await waitFor(() => big.closedConnections() >= 1);
      expect(progress.finished).toBe(false);
      expect(progress.written).toBeLessThan(MB / 2);
    });

    it('returns after 4 KB of an endless chunked response, so it cannot be buffering it', async () => {
      const progress = { written: 0, finished: false };
      const endless = await receiver((_request, response) => streamBytes(Number.MAX_SAFE_INTEGER, progress)(response));

      const result = await postWebhook(agent, webhook(endless.origin, { timeoutMs: 5_000 }));

      expect(result).toMatchObject({ status: 200, bodyTruncated: true });
      expect(result.body).toHaveLength(4096);
      await waitFor(() => endless.closedConnections() >= 1);
      expect(progress.finished).toBe(false);
    });

    it('drains a body a little over the limit so the socket is reused', async () => {
      const chatty = await receiver((_request, response) => streamBytes(10 * 1024, { written: 0, finished: false })(response));

      const first = await postWebhook(agent, webhook(chatty.origin));
      const second = await postWebhook(agent, webhook(chatty.origin));

      expect([first.bodyTruncated, second.bodyTruncated]).toEqual([true, true]);
      expect(first.body).toHaveLength(4096);
      expect(chatty.connections()).toBe(1);
    });

    it('does not flag a body of exactly the limit as truncated, and honours maxResponseBytes', async () => {
      const exact = await receiver((_request, response) => response.end('y'.repeat(4096)));
      await expect(postWebhook(agent, webhook(exact.origin))).resolves.toMatchObject({ bodyTruncated: false });
      const small = await postWebhook(agent, webhook(exact.origin, { maxResponseBytes: 10 }));
      expect(small).toMatchObject({ body: 'y'.repeat(10), bodyTruncated: true });
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
